/// One extension offered in `Sec-WebSocket-Extensions` (RFC 6455 §9.1): a name and its parameters in order.
///
/// ```
/// Sec-WebSocket-Extensions = extension-list
/// extension-list = 1#extension
/// extension = extension-token *( ";" extension-param )
/// extension-param = token [ "=" (token | quoted-string) ]
/// ```
public struct WebSocketExtensionOffer: Sendable, Equatable {
    /// The extension token, lowercased (e.g. "permessage-deflate").
    public var name: String
    /// Parameters as (lowercased name, value); the value is nil for a bare name, unquoted for a quoted-string.
    public var parameters: [Parameter]

    /// One `name[=value]` parameter.
    public struct Parameter: Sendable, Equatable {
        /// The parameter name, lowercased.
        public var name: String
        /// The value (quotes and escapes removed), nil when none was given.
        public var value: String?
        /// Creates a parameter.
        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// Creates an offer.
    public init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Every offer in the header's values (several fields are one comma-separated list, RFC 9110 §5.3), in order;
    /// nil when the text breaks the grammar (the caller then ignores extensions rather than failing the handshake).
    public static func parse(_ values: [String]) -> [WebSocketExtensionOffer]? {
        var offers: [WebSocketExtensionOffer] = []
        for value in values {
            var scanner = Scanner(Array(value.utf8))
            while true {
                scanner.skipWhitespace()
                if scanner.isAtEnd { break }
                if scanner.take(UInt8(ascii: ",")) { continue }   // empty list elements are allowed (RFC 9110 §5.6.1)
                guard let name = scanner.token() else { return nil }
                var offer = WebSocketExtensionOffer(name: name)
                scanner.skipWhitespace()
                while scanner.take(UInt8(ascii: ";")) {
                    scanner.skipWhitespace()
                    guard let parameter = scanner.token() else { return nil }
                    scanner.skipWhitespace()
                    var parameterValue: String?
                    if scanner.take(UInt8(ascii: "=")) {
                        scanner.skipWhitespace()
                        guard let text = scanner.quotedString() ?? scanner.token() else { return nil }
                        parameterValue = text
                        scanner.skipWhitespace()
                    }
                    offer.parameters.append(Parameter(name: parameter, value: parameterValue))
                }
                offers.append(offer)
                if scanner.isAtEnd { break }
                guard scanner.take(UInt8(ascii: ",")) else { return nil }
            }
        }
        return offers
    }

    /// A cursor over header bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var isAtEnd: Bool { index == bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// RFC 9110 §5.6.2 token, lowercased.
        mutating func token() -> String? {
            let start = index
            while index < bytes.count, HTTPSyntax.isTokenChar(bytes[index]) { index += 1 }
            guard index > start else { return nil }
            return HTTPHeaders.lowercased(String(decoding: bytes[start..<index], as: UTF8.self))
        }

        /// RFC 9110 §5.6.4 quoted-string, unescaped.
        mutating func quotedString() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            var out: [UInt8] = []
            var cursor = index + 1
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "\"") {
                    index = cursor + 1
                    return String(decoding: out, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") {
                    cursor += 1
                    guard cursor < bytes.count else { return nil }
                }
                out.append(bytes[cursor])
                cursor += 1
            }
            return nil
        }
    }
}
