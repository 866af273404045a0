/// The request line, header fields, message framing and chunk sizes: the syntax rules of RFC 9112.
extension HTTPRequestParser {
    /// The request line and headers of the request being parsed.
    struct RequestHead: Sendable {
        /// The method from the request line.
        var method: HTTPMethod = .GET
        /// The raw request-target.
        var target = ""
        /// The version from the request line.
        var version: HTTPVersion = .http1_1
        /// The fields so far.
        var headers = HTTPHeaders()
    }

    /// A parsed field line.
    struct Field {
        /// The name as sent.
        var name: String
        /// The name lowercased, for lookup.
        var key: String
        /// The value without surrounding whitespace.
        var value: String
    }

    /// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3); returns the error, or nil and fills `head`.
    mutating func parseRequestLine(_ range: Range<Int>) -> HTTPParseError? {
        let line = buffer[range]
        // RFC 9112 §3: the elements are separated by a single SP each; we do not parse on other whitespace.
        guard let firstSpace = line.firstIndex(of: 0x20) else { return .malformed("request line needs method, target and version") }
        let afterMethod = line.index(after: firstSpace)
        guard let secondSpace = line[afterMethod...].firstIndex(of: 0x20) else {
            return .malformed("request line has no HTTP version (HTTP/0.9 is not supported)")
        }
        let methodBytes = line[..<firstSpace]
        let targetBytes = line[afterMethod..<secondSpace]
        let versionBytes = line[line.index(after: secondSpace)...]

        // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive. Checked first so that the
        // HTTP/2 preface "PRI * HTTP/2.0" is answered 505 rather than 501 for its unknown method.
        guard let version = Self.parseVersion(versionBytes) else { return .malformed("bad HTTP version") }
        guard version == .http1_1 || version == .http1_0 else { return .versionNotSupported }

        // RFC 9110 §9.1: method = token, case-sensitive.
        guard HTTPSyntax.isToken(methodBytes) else { return .malformed("method is not a token") }
        let methodName = String(decoding: methodBytes, as: UTF8.self)
        guard let method = HTTPMethod(rawValue: methodName) else { return .methodNotImplemented(methodName) }

        guard !targetBytes.isEmpty, HTTPSyntax.all(targetBytes, HTTPSyntax.isTargetChar) else {
            return .malformed("request-target must be visible ASCII")
        }
        let target = String(decoding: targetBytes, as: UTF8.self)
        if let error = Self.checkTargetForm(target, method: method) { return error }

        head.method = method
        head.target = target
        head.version = version
        return nil
    }

    /// RFC 9112 §3.2: origin-form, absolute-form, authority-form (CONNECT only) and asterisk-form (OPTIONS only).
    static func checkTargetForm(_ target: String, method: HTTPMethod) -> HTTPParseError? {
        if method == .CONNECT { return nil }  // authority-form; the router answers it, we only check syntax
        if target.hasPrefix("/") { return nil }  // origin-form
        if target == "*" {  // asterisk-form
            return method == .OPTIONS ? nil : .malformed("asterisk-form target is only for OPTIONS")
        }
        let lower = HTTPHeaders.lowercased(target)
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {  // absolute-form
            // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid and MUST be rejected ("http:///x" would
            // otherwise name no authority, and slip past the Host check with an empty one).
            let authority = lower.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
            return host.isEmpty || host.hasPrefix(":") ? .malformed("absolute-form target without a host") : nil
        }
        return .malformed("request-target must start with '/' or be an absolute http(s) URI")
    }

    /// Parses "HTTP/x.y".
    static func parseVersion(_ bytes: ArraySlice<UInt8>) -> HTTPVersion? {
        guard bytes.count == 8, bytes.starts(with: Array("HTTP/".utf8)) else { return nil }
        let base = bytes.startIndex
        let major = bytes[base + 5], dot = bytes[base + 6], minor = bytes[base + 7]
        guard (0x30...0x39).contains(major), dot == UInt8(ascii: "."), (0x30...0x39).contains(minor) else { return nil }
        return HTTPVersion(major: Int(major - 0x30), minor: Int(minor - 0x30))
    }

    /// For a request line over the limit: 414 when the target alone makes it too long, else 400.
    func classifyLongRequestLine(_ range: Range<Int>? = nil) -> HTTPParseError {
        let line = buffer[range ?? readIndex..<buffer.count]
        guard let firstSpace = line.firstIndex(of: 0x20), firstSpace - line.startIndex <= 32 else {
            return .malformed("request line too long")
        }
        let targetStart = firstSpace + 1
        let targetEnd = line[targetStart...].firstIndex(of: 0x20) ?? line.endIndex
        let methodLength = firstSpace - line.startIndex
        let budget = limits.maxRequestLineBytes - methodLength - 1 - " HTTP/1.1".utf8.count
        return targetEnd - targetStart > budget ? .uriTooLong : .malformed("request line too long")
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5).
    func parseField(_ range: Range<Int>) -> Swift.Result<Field, HTTPParseError> {
        let line = buffer[range]
        // RFC 9112 §5.2: obs-fold (a line starting with SP/HTAB) is rejected with 400.
        if let first = line.first, HTTPSyntax.isWhitespace(first) {
            return .failure(.malformed("obsolete line folding is not allowed"))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return .failure(.malformed("header line without ':'")) }
        let name = line[..<colon]
        // RFC 9112 §5.1: no whitespace between field name and colon; a server MUST reject it with 400.
        guard HTTPSyntax.isToken(name) else { return .failure(.malformed("header name is not a token")) }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, HTTPSyntax.isWhitespace(buffer[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, HTTPSyntax.isWhitespace(buffer[valueEnd - 1]) { valueEnd -= 1 }
        let value = buffer[valueStart..<valueEnd]
        // RFC 9110 §5.5: field values contain no CTLs; a bare CR or NUL is a smuggling vector.
        guard HTTPSyntax.all(value, HTTPSyntax.isFieldValueChar) else {
            return .failure(.malformed("control character in header value"))
        }
        return .success(Field(name: String(decoding: name, as: UTF8.self), key: HTTPSyntax.lowercasedString(name),
                              value: String(decoding: value, as: UTF8.self)))
    }

    /// Validates the finished header section and decides how the body is framed (RFC 9112 §6.3).
    func finishHead() -> Swift.Result<State, HTTPParseError> {
        let headers = head.headers
        // RFC 9112 §3.2: 400 for a 1.1 request without Host, or with more than one, or an invalid one.
        let hosts = headers.values(key: "host")
        if hosts.count > 1 { return .failure(.malformed("more than one Host header")) }
        if hosts.isEmpty && head.version == .http1_1 { return .failure(.missingHost) }
        if let host = hosts.first, !host.utf8.allSatisfy(HTTPSyntax.isHostChar) {
            return .failure(.malformed("invalid Host value"))
        }
        // RFC 9112 §3.2: an empty Host is only for a target URI without authority; an origin-form (or asterisk-form)
        // target's URI takes its authority from Host, so a 1.1 request with one is invalid (400). (Absolute-form
        // carries its authority in the target, which wins over Host, §3.2.2; HTTP/1.0 may omit Host altogether.)
        if hosts.first == "" && head.version == .http1_1 && (head.target.hasPrefix("/") || head.target == "*") {
            return .failure(.malformed("empty Host header"))
        }

        let transferEncodings = headers.values(key: "transfer-encoding")
        let contentLengths = headers.values(key: "content-length")
        // RFC 9112 §6.3 item 3: both present is a smuggling attempt; we refuse instead of guessing.
        if !transferEncodings.isEmpty && !contentLengths.isEmpty { return .failure(.conflictingLength) }

        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if head.version == .http1_0 { return .failure(.malformed("Transfer-Encoding in an HTTP/1.0 request")) }
            let codings = headers.tokens("Transfer-Encoding")
            if codings == ["chunked"] { return .success(.chunkSize) }
            // RFC 9112 §6.1: a coding we do not understand SHOULD get 501; "chunked" twice or not last is 400.
            if codings.contains(where: { $0 != "chunked" }) { return .failure(.unsupportedTransferEncoding) }
            return .failure(.malformed("chunked must be the single, final transfer coding"))
        }

        if !contentLengths.isEmpty {
            var length: Int?
            for field in contentLengths {
                // RFC 9110 §8.6: a list of identical values ("42, 42") may be taken as one value.
                for element in field.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let value = Self.parseDecimal(element.trimmingHTTPWhitespace()) else {
                        return .failure(.invalidContentLength)
                    }
                    if let previous = length, previous != value { return .failure(.invalidContentLength) }
                    length = value
                }
            }
            guard let length else { return .failure(.invalidContentLength) }
            if length > limits.maxBodyBytes { return .failure(.bodyTooLarge) }
            return .success(length == 0 ? .requestLine : .fixedBody(remaining: length))
        }
        // RFC 9112 §6.3 item 7: a request with neither has no body.
        return .success(.requestLine)
    }

    /// Parses 1*DIGIT, saturating at Int.max so "18446744073709551616" reads as huge rather than failing as garbage.
    static func parseDecimal(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
            value = (overflow1 || overflow2) ? Int.max : sum
        }
        return value
    }

    /// Parses `chunk-size [ chunk-ext ]` (RFC 9112 §7.1): hex size with overflow check; extensions are ignored.
    func parseChunkSize(_ range: Range<Int>) -> Swift.Result<Int, HTTPParseError> {
        let line = buffer[range]
        var index = line.startIndex
        var size = 0
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(buffer[index]) {
            // Any size that needs more than 60 bits is beyond every body limit; stop before Int overflows.
            guard size <= (Int.max >> 4) else { return .failure(.bodyTooLarge) }
            size = size << 4 | digit
            index += 1
        }
        guard index > line.startIndex else { return .failure(.malformed("chunk size is not hex")) }
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ); ignored, but no CTLs.
        let extensions = buffer[index..<line.endIndex]
        if let first = extensions.first(where: { !HTTPSyntax.isWhitespace($0) }), first != UInt8(ascii: ";") {
            return .failure(.malformed("junk after chunk size"))
        }
        guard HTTPSyntax.all(extensions, HTTPSyntax.isFieldValueChar) else {
            return .failure(.malformed("control character in chunk extension"))
        }
        return .success(size)
    }
}
