/// A fuzzer input read as two bytes that choose a split offset, then the bytes under test, so every
/// target can check that feeding the bytes whole or in two pieces gives the same result.
struct FuzzInput {
    /// The bytes under test.
    let bytes: ArraySlice<UInt8>
    /// An index into `bytes` (startIndex...endIndex) where the split feed cuts them.
    let splitOffset: Int

    /// Nil when the input is too short to carry the offset.
    init?(_ data: UnsafePointer<UInt8>, _ size: Int) {
        guard size >= 2 else { return nil }
        let input = Array(UnsafeBufferPointer(start: data, count: size))
        bytes = input[2...]
        splitOffset = bytes.startIndex + (Int(input[0]) << 8 | Int(input[1])) % (bytes.count + 1)
    }
}
