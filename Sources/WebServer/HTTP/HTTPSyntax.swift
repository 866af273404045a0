/// Character classes from the HTTP grammar (RFC 9110 §5.6), over raw bytes.
enum HTTPSyntax {
    /// RFC 9110 §5.6.2 tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    /// True when every byte is a tchar and there is at least one (RFC 9110 §5.6.2 token = 1*tchar).
    static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && all(bytes, isTokenChar)
    }

    /// `allSatisfy` over raw memory: the parser's hot loops stay free of generic iterator overhead.
    @inline(__always)
    static func all(_ bytes: ArraySlice<UInt8>, _ predicate: (UInt8) -> Bool) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer where !predicate(byte) { return false }
            return true
        }
    }

    /// The bytes as a String with ASCII letters lowercased (header names are compared case-insensitively).
    static func lowercasedString(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { lowercasedString($0) }
    }

    /// The bytes as a String with ASCII letters lowercased.
    static func lowercasedString(_ source: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: source.count) { output in
            for index in 0..<source.count {
                let byte = source[index]
                output[index] = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            }
            return source.count
        }
    }

    /// RFC 9110 §5.5 field-vchar / SP / HTAB: anything but CTLs (NUL, CR, LF, DEL...) may appear in a value.
    @inline(__always)
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// Visible ASCII, the only bytes a request-target may contain (RFC 3986 §2, RFC 9112 §3.2).
    @inline(__always)
    static func isTargetChar(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    /// Bytes allowed in a Host value: uri-host [ ":" port ] (RFC 3986 §3.2.2), incl. IPv6 brackets.
    static func isHostChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default: return false
        }
    }

    /// SP or HTAB (RFC 9110 §5.6.3 OWS).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// The value of a hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }
}
