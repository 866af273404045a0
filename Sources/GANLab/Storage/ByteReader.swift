/// Reads little-endian primitives from bytes with every length checked against what is left, so a hostile
/// file can neither read past its end nor make the decoder allocate more than its own size.
struct ByteReader {
    private let bytes: [UInt8]
    /// Index of the next unread byte.
    private(set) var offset: Int
    private let end: Int
    /// Names the part being read in error messages ("section TENS").
    let context: String

    /// A reader over `bytes[range]`.
    init(_ bytes: [UInt8], range: Range<Int>? = nil, context: String) {
        self.bytes = bytes
        let r = range ?? 0..<bytes.count
        offset = r.lowerBound
        end = r.upperBound
        self.context = context
    }

    /// Bytes not yet read.
    var remaining: Int { end - offset }
    /// True once everything was read.
    var isAtEnd: Bool { offset == end }

    /// The error for malformed content at this point.
    func malformed(_ reason: String) -> RunFormatError { .malformed(part: context, reason: reason) }

    private mutating func take(_ n: Int) throws(RunFormatError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw malformed("ends early (needs \(n) more bytes, \(remaining) left)") }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    private mutating func little<T: FixedWidthInteger>(_ type: T.Type) throws(RunFormatError) -> T {
        let slice = try take(MemoryLayout<T>.size)
        var v: T = 0
        for (i, b) in slice.enumerated() { v |= T(b) << (8 * i) }
        return v
    }

    mutating func u8() throws(RunFormatError) -> UInt8 { try little(UInt8.self) }
    mutating func u16() throws(RunFormatError) -> UInt16 { try little(UInt16.self) }
    mutating func u32() throws(RunFormatError) -> UInt32 { try little(UInt32.self) }
    mutating func u64() throws(RunFormatError) -> UInt64 { try little(UInt64.self) }
    mutating func i64() throws(RunFormatError) -> Int { Int(Int64(bitPattern: try u64())) }
    /// An `i64` that must lie in `range` (docs/run-format.md §1.2, "Limits"); the error names `field`.
    mutating func i64(in range: ClosedRange<Int>, _ field: String) throws(RunFormatError) -> Int {
        let v = try i64()
        guard range.contains(v) else { throw malformed("\(field) \(v) is outside \(range.lowerBound)...\(range.upperBound)") }
        return v
    }
    mutating func f32() throws(RunFormatError) -> Float { Float(bitPattern: try u32()) }
    mutating func f64() throws(RunFormatError) -> Double { Double(bitPattern: try u64()) }
    mutating func raw(_ n: Int) throws(RunFormatError) -> [UInt8] { Array(try take(n)) }

    /// `count` `f32` at once (the caller checked that they fit, or this throws).
    mutating func floats(_ count: Int) throws(RunFormatError) -> [Float] {
        let slice = try take(4 * count)
        #if _endian(little)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            slice.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = count
        }
        #else
        return (0..<count).map { i in Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(slice[slice.startIndex + 4 * i + $1]) << (8 * $1) }) }
        #endif
    }

    /// A `bool`: only 0 or 1.
    mutating func bool() throws(RunFormatError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let b: throw malformed("a boolean is \(b), not 0 or 1")
        }
    }

    /// A u32 count of items of at least `itemBytes` bytes each, refused when the bytes left cannot hold them.
    mutating func count(itemBytes: Int) throws(RunFormatError) -> Int {
        let n = Int(try u32())
        guard n <= remaining / max(itemBytes, 1) else { throw malformed("claims \(n) items but only \(remaining) bytes are left") }
        return n
    }

    /// A `str` (u32 count + valid UTF-8).
    mutating func string() throws(RunFormatError) -> String {
        let n = try count(itemBytes: 1)
        return try utf8(try take(n))
    }

    /// A `str8` (u8 count + valid UTF-8).
    mutating func string8() throws(RunFormatError) -> String {
        let n = Int(try u8())
        return try utf8(try take(n))
    }

    private func utf8(_ slice: ArraySlice<UInt8>) throws(RunFormatError) -> String {
        guard let s = String(validating: slice, as: UTF8.self) else { throw malformed("a string is not valid UTF-8") }
        return s
    }

    /// A `var` (unsigned LEB128, at most 10 bytes).
    mutating func varint() throws(RunFormatError) -> UInt64 {
        var v: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            let b = try u8()
            guard shift < 63 || b <= 1 else { throw malformed("a number does not fit 64 bits") }
            v |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return v }
        }
        throw malformed("a number does not fit 64 bits")
    }

    /// A `var` that must fit `limit` (counts, epochs).
    mutating func varint(atMost limit: Int) throws(RunFormatError) -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw malformed("\(v) is larger than \(limit)") }
        return Int(v)
    }

    /// An `svar` (zig-zag LEB128).
    mutating func signedVarint() throws(RunFormatError) -> Int {
        let u = try varint()
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }
}
