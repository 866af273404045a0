import Testing
import WebServer

/// A hostile or malformed request and the error (hence status) it must produce.
struct RejectionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: [UInt8]
    var expected: HTTPParseError
    var status: Int
    var limits = HTTPParserLimits()
    var testDescription: String { name }

    init(_ name: String, _ raw: String, _ expected: HTTPParseError, _ status: Int, limits: HTTPParserLimits = .init()) {
        self.init(name, raw.bytes, expected, status, limits: limits)
    }

    init(_ name: String, _ raw: [UInt8], _ expected: HTTPParseError, _ status: Int, limits: HTTPParserLimits = .init()) {
        self.name = name
        self.raw = raw
        self.expected = expected
        self.status = status
        self.limits = limits
    }
}

private let host = "Host: h\r\n"
private let small = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 4, maxBodyBytes: 16)

let rejectionCases: [RejectionCase] = [
    // Request line (RFC 9112 §3).
    RejectionCase("unknown method", "BREW /pot HTTP/1.1\r\n\(host)\r\n", .methodNotImplemented("BREW"), 501),
    RejectionCase("lower-case method is another method", "get / HTTP/1.1\r\n\(host)\r\n", .methodNotImplemented("get"), 501),
    RejectionCase("method not a token", "G(T / HTTP/1.1\r\n\(host)\r\n", .malformed("method is not a token"), 400),
    RejectionCase("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .versionNotSupported, 505),
    RejectionCase("HTTP/2.0 version", "GET / HTTP/2.0\r\n\(host)\r\n", .versionNotSupported, 505),
    RejectionCase("HTTP/1.2 version", "GET / HTTP/1.2\r\n\(host)\r\n", .versionNotSupported, 505),
    RejectionCase("HTTP/0.9 request", "GET /\r\n\r\n", .malformed("request line has no HTTP version (HTTP/0.9 is not supported)"), 400),
    RejectionCase("lower-case protocol name", "GET / http/1.1\r\n\(host)\r\n", .malformed("bad HTTP version"), 400),
    RejectionCase("two-digit minor version", "GET / HTTP/1.10\r\n\(host)\r\n", .malformed("bad HTTP version"), 400),
    RejectionCase("trailing space after version", "GET / HTTP/1.1 \r\n\(host)\r\n", .malformed("bad HTTP version"), 400),
    RejectionCase("double space", "GET  / HTTP/1.1\r\n\(host)\r\n", .malformed("bad HTTP version"), 400),
    RejectionCase("relative target", "GET foo HTTP/1.1\r\n\(host)\r\n", .malformed("request-target must start with '/' or be an absolute http(s) URI"), 400),
    RejectionCase("asterisk with GET", "GET * HTTP/1.1\r\n\(host)\r\n", .malformed("asterisk-form target is only for OPTIONS"), 400),
    RejectionCase("non-ASCII target", "GET /caf\u{e9} HTTP/1.1\r\n\(host)\r\n", .malformed("request-target must be visible ASCII"), 400),
    RejectionCase("DEL in target", "GET /a\u{7f} HTTP/1.1\r\n\(host)\r\n", .malformed("request-target must be visible ASCII"), 400),
    RejectionCase("bare CR ends the request line", "GET / HTTP/1.1\rHost: h\r\n\r\n", .malformed("bad HTTP version"), 400),
    RejectionCase("too many empty lines first", String(repeating: "\r\n", count: 17) + "GET / HTTP/1.1\r\n\(host)\r\n",
                  .malformed("too many empty lines before the request line"), 400),
    RejectionCase("URI too long", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\(host)\r\n", .uriTooLong, 414),
    RejectionCase("URI too long, still arriving", "GET /" + String(repeating: "a", count: 9000), .uriTooLong, 414),
    RejectionCase("URI one byte over the small limit", "GET /" + String(repeating: "a", count: 51) + " HTTP/1.1\r\n\(host)\r\n",
                  .uriTooLong, 414, limits: small),
    RejectionCase("request line long because of junk", "GET / HTTP/1.1" + String(repeating: "x", count: 9000) + "\r\n",
                  .malformed("request line too long"), 400),
    RejectionCase("endless method", String(repeating: "A", count: 9000), .malformed("request line too long"), 400),
    // Header fields (RFC 9112 §5).
    RejectionCase("missing Host on 1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .missingHost, 400),
    RejectionCase("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .malformed("more than one Host header"), 400),
    RejectionCase("invalid Host value", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .malformed("invalid Host value"), 400),
    RejectionCase("empty Host on 1.1 origin-form", "POST /api HTTP/1.1\r\nHost:\r\n\r\n", .malformed("empty Host header"), 400),
    RejectionCase("empty Host, asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: \r\n\r\n", .malformed("empty Host header"), 400),
    RejectionCase("absolute-form without a host", "GET http:///x HTTP/1.1\r\n\(host)\r\n", .malformed("absolute-form target without a host"), 400),
    RejectionCase("absolute-form with only a port", "GET http://:8080/x HTTP/1.1\r\n\(host)\r\n", .malformed("absolute-form target without a host"), 400),
    RejectionCase("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", .malformed("header name is not a token"), 400),
    RejectionCase("obs-fold", "GET / HTTP/1.1\r\n\(host)X-A: 1\r\n  continued\r\n\r\n", .malformed("obsolete line folding is not allowed"), 400),
    RejectionCase("line without colon", "GET / HTTP/1.1\r\n\(host)NoColon\r\n\r\n", .malformed("header line without ':'"), 400),
    RejectionCase("empty header name", "GET / HTTP/1.1\r\n\(host): v\r\n\r\n", .malformed("header name is not a token"), 400),
    RejectionCase("NUL in value", "GET / HTTP/1.1\r\n\(host)X-A: a\u{0}b\r\n\r\n", .malformed("control character in header value"), 400),
    RejectionCase("bare CR in value", "GET / HTTP/1.1\r\n\(host)X-A: a\rb\r\n\r\n", .malformed("control character in header value"), 400),
    RejectionCase("CR CR LF", "GET / HTTP/1.1\r\n\(host)X-A: a\r\r\n\r\n", .malformed("control character in header value"), 400),
    RejectionCase("header section too large", "GET / HTTP/1.1\r\n\(host)X-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n",
                  .headersTooLarge, 431),
    RejectionCase("endless header line", "GET / HTTP/1.1\r\n\(host)X-Big: " + String(repeating: "b", count: 17000), .headersTooLarge, 431),
    RejectionCase("too many headers", "GET / HTTP/1.1\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\(host)\r\n",
                  .headersTooLarge, 431),
    RejectionCase("too many headers, small limit", "GET / HTTP/1.1\r\n\(host)A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
                  .headersTooLarge, 431, limits: small),
    // Framing (RFC 9112 §6).
    RejectionCase("Content-Length and Transfer-Encoding",
                  "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .conflictingLength, 400),
    RejectionCase("Content-Length not digits", "POST / HTTP/1.1\r\n\(host)Content-Length: abc\r\n\r\n", .invalidContentLength, 400),
    RejectionCase("negative Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", .invalidContentLength, 400),
    RejectionCase("signed Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: +5\r\n\r\n", .invalidContentLength, 400),
    RejectionCase("Content-Length with inner space", "POST / HTTP/1.1\r\n\(host)Content-Length: 1 2\r\n\r\n", .invalidContentLength, 400),
    RejectionCase("empty Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length:\r\n\r\n", .invalidContentLength, 400),
    RejectionCase("differing list", "POST / HTTP/1.1\r\n\(host)Content-Length: 3, 4\r\n\r\nabcd", .invalidContentLength, 400),
    RejectionCase("differing fields", "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", .invalidContentLength, 400),
    RejectionCase("Content-Length 2^64", "POST / HTTP/1.1\r\n\(host)Content-Length: 18446744073709551616\r\n\r\n", .bodyTooLarge, 413),
    RejectionCase("Content-Length 2^63", "POST / HTTP/1.1\r\n\(host)Content-Length: 9223372036854775808\r\n\r\n", .bodyTooLarge, 413),
    RejectionCase("Content-Length over the limit", "POST / HTTP/1.1\r\n\(host)Content-Length: 1048577\r\n\r\n", .bodyTooLarge, 413),
    RejectionCase("gzip transfer coding", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding, 501),
    RejectionCase("gzip then chunked", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding, 501),
    RejectionCase("chunked twice", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                  .malformed("chunked must be the single, final transfer coding"), 400),
    RejectionCase("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                  .malformed("Transfer-Encoding in an HTTP/1.0 request"), 400),
    RejectionCase("chunk size not hex", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n", .malformed("chunk size is not hex"), 400),
    RejectionCase("junk after chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n",
                  .malformed("junk after chunk size"), 400),
    RejectionCase("chunk size overflowing 64 bits", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n",
                  .bodyTooLarge, 413),
    RejectionCase("chunk size 2^63", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n8000000000000000\r\n", .bodyTooLarge, 413),
    RejectionCase("chunk over the limit", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n100001\r\n", .bodyTooLarge, 413),
    RejectionCase("chunks summing over the limit", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n9\r\n123456789\r\n9\r\n",
                  .bodyTooLarge, 413, limits: small),
    RejectionCase("chunk data without CRLF", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
                  .malformed("chunk data must be followed by CRLF"), 400),
    RejectionCase("chunk-size line with bare LF", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n",
                  .malformed("chunk-size line must end with CRLF"), 400),
    RejectionCase("NUL in chunk extension", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3;a\u{0}\r\nabc\r\n0\r\n\r\n",
                  .malformed("control character in chunk extension"), 400),
    RejectionCase("endless chunk extension", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3;" + String(repeating: "e", count: 5000),
                  .malformed("chunk-size line too long"), 400),
    RejectionCase("malformed trailer", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n",
                  .malformed("header name is not a token"), 400),
    RejectionCase("trailer section too large", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nT: " + String(repeating: "t", count: 20000),
                  .headersTooLarge, 431),
]

@Suite struct HTTPRequestParserRejectionTests {
    @Test(arguments: rejectionCases)
    func hostileOrMalformedRequest_isRefusedWithItsStatus(_ testCase: RejectionCase) {
        let expected: [HTTPRequestParser.Result] = [.error(testCase.expected)]
        #expect(parseWhole(testCase.raw, limits: testCase.limits) == expected)
        #expect(parseBytewise(testCase.raw, limits: testCase.limits) == expected)
        #expect(testCase.expected.status.code == testCase.status)
    }

    @Test func hugeStreamOfTargetBytes_isCutOffAtTheLimit() {
        var parser = HTTPRequestParser()
        parser.append("GET /".bytes)
        var refusedAfter = 0
        for round in 1...1000 {
            parser.append([UInt8](repeating: UInt8(ascii: "a"), count: 1000))
            if parser.next() == .error(.uriTooLong) { refusedAfter = round; break }
        }
        #expect(refusedAfter > 0 && refusedAfter <= 9)
    }

    @Test func defaultLimits_areTheDocumentedOnes() {
        let limits = HTTPParserLimits()
        #expect(limits.maxRequestLineBytes == 8192)
        #expect(limits.maxHeaderBytes == 16384)
        #expect(limits.maxHeaderCount == 100)
        #expect(limits.maxBodyBytes == 1_048_576)
    }

    @Test func defaultLimitEdges_acceptAtAndRefuseOneBeyond() {
        let headerAtLimit = "X: " + String(repeating: "v", count: 16384 - 9 - 2 - 2 - 3)  // Host line 9, two CRLFs, "X: "
        let atLimit = "GET / HTTP/1.1\r\n\(host)\(headerAtLimit)\r\n\r\n"
        guard case .request? = parseWhole(atLimit.bytes).first else { Issue.record("header section at the limit refused"); return }
        let overLimit = "GET / HTTP/1.1\r\n\(host)\(headerAtLimit)v\r\n\r\n"
        #expect(parseWhole(overLimit.bytes) == [.error(.headersTooLarge)])
        let longestTarget = "/" + String(repeating: "t", count: 8192 - 4 - 9 - 1)
        guard case .request? = parseWhole("GET \(longestTarget) HTTP/1.1\r\n\(host)\r\n".bytes).first else {
            Issue.record("request line at the limit refused"); return
        }
        #expect(parseWhole("GET \(longestTarget)t HTTP/1.1\r\n\(host)\r\n".bytes) == [.error(.uriTooLong)])
    }

    @Test func requestLineExactlyAtTheLimit_isAccepted() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 4, maxBodyBytes: 16)
        let line = "GET /" + String(repeating: "a", count: 50) + " HTTP/1.1"
        #expect(line.utf8.count == 64)
        guard case .request(let request)? = parseWhole((line + "\r\n\(host)\r\n").bytes, limits: limits).first else {
            Issue.record("edge request refused"); return
        }
        #expect(request.path.utf8.count == 51)
    }

    @Test func bodyExactlyAtTheLimit_isAccepted() {
        let limits = HTTPParserLimits(maxBodyBytes: 16)
        let fixed = "POST / HTTP/1.1\r\n\(host)Content-Length: 16\r\n\r\n" + String(repeating: "b", count: 16)
        let chunked = "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"
        for raw in [fixed, chunked] {
            guard case .request(let request)? = parseWhole(raw.bytes, limits: limits).first else { Issue.record("refused"); continue }
            #expect(request.body.count == 16)
        }
        #expect(parseWhole("POST / HTTP/1.1\r\n\(host)Content-Length: 17\r\n\r\n".bytes, limits: limits) == [.error(.bodyTooLarge)])
    }

    @Test func headerCountExactlyAtTheLimit_isAccepted() {
        let limits = HTTPParserLimits(maxHeaderCount: 3)
        let raw = "GET / HTTP/1.1\r\n\(host)A: 1\r\nB: 2\r\n\r\n"
        guard case .request(let request)? = parseWhole(raw.bytes, limits: limits).first else { Issue.record("refused"); return }
        #expect(request.headers.count == 3)
    }

    @Test func requestAfterRefusal_isNeverParsed() {
        let raw = "POST / HTTP/1.1\r\n\(host)Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\(host)\r\n"
        #expect(parseWhole(raw.bytes) == [.error(.conflictingLength)])
    }

    @Test func everyParseError_mapsToOneStatus() {
        let table: [(HTTPParseError, HTTPStatus)] = [
            (.malformed("x"), .badRequest), (.uriTooLong, .uriTooLong), (.headersTooLarge, .requestHeaderFieldsTooLarge),
            (.bodyTooLarge, .payloadTooLarge), (.missingHost, .badRequest), (.conflictingLength, .badRequest),
            (.invalidContentLength, .badRequest), (.unsupportedTransferEncoding, .notImplemented),
            (.methodNotImplemented("X"), .notImplemented), (.versionNotSupported, .httpVersionNotSupported),
        ]
        for (error, status) in table { #expect(error.status == status, "\(error)") }
    }
}
