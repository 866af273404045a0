/// Appends little-endian primitives to a byte array: the one writer behind the saved-run and share-link
/// encoders (docs/run-format.md, "Primitives").
struct ByteWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// An empty writer.
    init() {}

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }
    mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }

    /// Many `f32` at once (tensors, points): a straight copy on little-endian machines.
    mutating func floats(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        values.forEach { f32($0) }
        #endif
    }

    /// A u32 count, as the saved-run format writes lengths.
    mutating func count(_ n: Int) { u32(UInt32(n)) }

    /// `str`: u32 byte count + UTF-8.
    mutating func string(_ s: String) {
        count(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    /// `str8`: u8 byte count + UTF-8 (share links; callers keep names under 256 bytes).
    mutating func string8(_ s: String) {
        precondition(s.utf8.count <= 255, "str8 longer than 255 bytes")
        u8(UInt8(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    /// `var`: unsigned LEB128.
    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            u8(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        u8(UInt8(v))
    }

    /// `svar`: zig-zag then LEB128, so small negative numbers stay short.
    mutating func signedVarint(_ v: Int) {
        let x = Int64(v)
        varint(UInt64(bitPattern: (x << 1) ^ (x >> 63)))
    }

    /// Writes `body` as a section: tag, u32 length, bytes.
    mutating func section(_ tag: String, _ body: (inout ByteWriter) -> Void) {
        precondition(tag.utf8.count == 4, "section tags are 4 ASCII letters")
        bytes.append(contentsOf: tag.utf8)
        var inner = ByteWriter()
        body(&inner)
        count(inner.bytes.count)
        bytes.append(contentsOf: inner.bytes)
    }
}
