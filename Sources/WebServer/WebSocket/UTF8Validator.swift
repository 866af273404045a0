/// An incremental UTF-8 validator that fails on the first byte that can no longer be part of valid UTF-8.
///
/// RFC 6455 §8.1 requires text messages to be UTF-8, and Autobahn's 6.x cases expect the
/// connection to fail as soon as a fragment holds a definitely-invalid prefix, not only at
/// the end of the message. The state is the number of continuation bytes still expected and
/// the allowed range of the next one (Unicode §3.9, Table 3-7), so overlong forms, surrogates
/// and code points above U+10FFFF are caught on the byte where they become certain.
public struct UTF8Validator: Sendable, Equatable {
    private var remaining: UInt8 = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Creates a validator at a character boundary.
    public init() {}

    /// True at a character boundary (a message may end here).
    public var isComplete: Bool { remaining == 0 }

    /// Returns to the initial state for the next message.
    public mutating func reset() {
        self = UTF8Validator()
    }

    /// Consumes the bytes; false once they cannot be a prefix of valid UTF-8 (the validator is then undefined).
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index < count {
            if remaining == 0 {
                // Fast path: skip ASCII eight bytes at a time.
                while index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                guard index < count else { break }
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index += 1
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: remaining = 1; lower = 0x80; upper = 0xBF
                case 0xE0: remaining = 2; lower = 0xA0; upper = 0xBF  // no overlong 3-byte forms
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2; lower = 0x80; upper = 0xBF
                case 0xED: remaining = 2; lower = 0x80; upper = 0x9F  // no UTF-16 surrogates
                case 0xF0: remaining = 3; lower = 0x90; upper = 0xBF  // no overlong 4-byte forms
                case 0xF1...0xF3: remaining = 3; lower = 0x80; upper = 0xBF
                case 0xF4: remaining = 3; lower = 0x80; upper = 0x8F  // nothing above U+10FFFF
                default: return false  // continuation without a lead, C0/C1 overlongs, F5...FF
                }
            } else {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index += 1
                guard byte >= lower && byte <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Consumes the bytes; false once they cannot be a prefix of valid UTF-8.
    public mutating func validate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { validate($0) }
    }
}
