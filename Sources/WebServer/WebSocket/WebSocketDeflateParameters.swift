/// The permessage-deflate configuration agreed in the opening handshake (RFC 7692 §7.1).
///
/// The server accepts the first offer it can honour and always answers with `server_no_context_takeover`
/// (§7.1.1.1 lets a server add it unasked), so each server message is compressed on its own. Offers are declined
/// (the next one is tried; with none left the connection simply runs uncompressed, the handshake never fails) when
/// §7.1 says so: an unknown parameter, a repeated one, an invalid value, or one this server cannot honour:
/// `server_max_window_bits=8`, since zlib's deflate cannot use a 256-byte window (it silently uses 512).
public struct WebSocketDeflateParameters: Sendable, Equatable {
    /// The extension's registered name (RFC 7692 §7).
    public static let extensionName = "permessage-deflate"

    /// Largest LZ77 window (bits) the server may compress with: the client's `server_max_window_bits`, else 15.
    public var serverMaxWindowBits: Int
    /// The client will not (or was asked not to) use context takeover: the inflater resets after each message.
    public var clientNoContextTakeover: Bool

    /// Creates parameters (tests; the handshake uses `negotiate`).
    public init(serverMaxWindowBits: Int = 15, clientNoContextTakeover: Bool = false) {
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientNoContextTakeover = clientNoContextTakeover
    }

    /// The `Sec-WebSocket-Extensions` value of the 101 response that accepts these parameters.
    public var responseHeaderValue: String {
        var text = Self.extensionName + "; server_no_context_takeover"
        if clientNoContextTakeover { text += "; client_no_context_takeover" }
        if serverMaxWindowBits != 15 { text += "; server_max_window_bits=\(serverMaxWindowBits)" }
        return text
    }

    /// The parameters of the first acceptable permessage-deflate offer in the request's Sec-WebSocket-Extensions
    /// values, or nil (no offer, none acceptable, or a header that breaks the grammar).
    public static func negotiate(_ headerValues: [String]) -> WebSocketDeflateParameters? {
        guard !headerValues.isEmpty, let offers = WebSocketExtensionOffer.parse(headerValues) else { return nil }
        return offers.lazy.filter { $0.name == extensionName }.compactMap(accept).first
    }

    /// §7.1: the parameters that honour one offer, or nil to decline it.
    static func accept(_ offer: WebSocketExtensionOffer) -> WebSocketDeflateParameters? {
        var parameters = WebSocketDeflateParameters()
        var seen: Set<String> = []
        for parameter in offer.parameters {
            // §7.1: "contains multiple extension parameters with the same name" -> decline.
            guard seen.insert(parameter.name).inserted else { return nil }
            switch parameter.name {
            case "server_no_context_takeover":
                // §7.1.1.1: no value. We answer with it whether or not it was offered.
                guard parameter.value == nil else { return nil }
            case "client_no_context_takeover":
                // §7.1.1.2: no value; the client will not take over context, so the inflater resets per message.
                guard parameter.value == nil else { return nil }
                parameters.clientNoContextTakeover = true
            case "server_max_window_bits":
                // §7.1.2.1: a value 8..15 is required; we answer with the same value. 8 cannot be honoured by zlib.
                guard let bits = parameter.value.flatMap(windowBits), bits >= 9 else { return nil }
                parameters.serverMaxWindowBits = bits
            case "client_max_window_bits":
                // §7.1.2.2: no value, or 8..15. Our inflater takes any window up to 15, so we never limit the
                // client and leave the parameter out of the answer (the client then may use up to its own value).
                if let value = parameter.value { guard windowBits(value) != nil else { return nil } }
            default:
                return nil   // §7.1: "an extension parameter not defined for use in an offer"
            }
        }
        return parameters
    }

    /// §7.1.2: "a decimal integer ... in the range 8 to 15 ... without leading zeros".
    static func windowBits(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 2, text.first != "0", text.allSatisfy(\.isASCII), let value = Int(text),
              (8...15).contains(value) else { return nil }
        return value
    }
}
