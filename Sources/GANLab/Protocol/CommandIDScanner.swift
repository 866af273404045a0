/// Finds a command's top-level `"id"` with one pass over the bytes and no parsing, for the replies to messages the
/// server refuses before decoding them (`rate-limited`: a flood must cost no JSON parsing), so the client can still
/// match the error to its command (docs/protocol.md §2.3, "id").
///
/// It skips over nested values and strings (escapes included) without building them; anything it does not
/// understand, or an id that is not a plain number or a string without escapes, gives nil (the reply then
/// carries `"id": null`, as before). Not a validator: the decoder still reads every message it lets through.
public enum CommandIDScanner {
    /// The `id` of a JSON object text, if it is a number or a simple string.
    public static func id(in text: String) -> JSON? {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.topLevelID()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func topLevelID() -> JSON? {
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            while true {
                skipWhitespace()
                guard let keyRange = skipString() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                if isID(keyRange) { return value() }
                guard skipValue() else { return nil }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return nil  // "}" (no id) or malformed
            }
        }

        /// Whether the key's bytes (between its quotes) are exactly `id`.
        private func isID(_ range: Range<Int>) -> Bool {
            range.count == 2 && bytes[range.lowerBound] == UInt8(ascii: "i") && bytes[range.lowerBound + 1] == UInt8(ascii: "d")
        }

        /// A number, or a string without escapes, at the cursor.
        private mutating func value() -> JSON? {
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "\"") {
                guard let range = skipString(), !bytes[range].contains(UInt8(ascii: "\\")) else { return nil }
                return .string(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            let start = index
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            guard index > start, index - start <= 32 else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { return nil }
            return .number(number)
        }

        /// Skips a string at the cursor; returns the range of its contents (escapes not undone).
        private mutating func skipString() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<(index - 1)
                default: index += 1
                }
            }
            return nil
        }

        /// Skips any value: a string, a nested object or list (brackets counted outside strings), or a scalar.
        private mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return skipString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard skipString() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { index += 1; return true }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}") { index += 1 }
                return index > start
            }
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private static func isNumberByte(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
        }
    }
}
