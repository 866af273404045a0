import Testing
import WebServer

/// A valid request and the request the parser must produce from it.
struct ValidRequestCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var expected: HTTPRequest
    var testDescription: String { name }
}

/// Builds the expected request with explicit path/query.
private func request(_ method: HTTPMethod, _ target: String, path: String, query: String? = nil, version: HTTPVersion = .http1_1,
                     headers: [(String, String)], body: String = "") -> HTTPRequest {
    var request = HTTPRequest(method: method, target: target, version: version, headers: HTTPHeaders(headers), body: body.bytes)
    request.path = path
    request.query = query
    return request
}

let validRequestCases: [ValidRequestCase] = [
    ValidRequestCase(name: "simple GET", raw: "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
                     expected: request(.GET, "/", path: "/", headers: [("Host", "example.com")])),
    ValidRequestCase(name: "query and several headers",
                     raw: "GET /search?q=gan&lr=0.1 HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: test/1.0\r\nAccept: */*\r\n\r\n",
                     expected: request(.GET, "/search?q=gan&lr=0.1", path: "/search", query: "q=gan&lr=0.1",
                                       headers: [("Host", "localhost:8080"), ("User-Agent", "test/1.0"), ("Accept", "*/*")])),
    ValidRequestCase(name: "POST with Content-Length",
                     raw: "POST /api/runs HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"lr\":0.01}",
                     expected: request(.POST, "/api/runs", path: "/api/runs",
                                       headers: [("Host", "h"), ("Content-Type", "application/json"), ("Content-Length", "11")],
                                       body: "{\"lr\":0.01}")),
    ValidRequestCase(name: "chunked with extensions and trailers",
                     raw: "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;name=value\r\nWiki\r\n5 ; a=\"b c\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n000\r\nExpires: never\r\nX-Trailer: 1\r\n\r\n",
                     expected: request(.POST, "/upload", path: "/upload", headers: [("Host", "h"), ("Transfer-Encoding", "chunked")],
                                       body: "Wikipedia in\r\n\r\nchunks.")),
    ValidRequestCase(name: "chunked, upper-case hex and leading zeros",
                     raw: "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n00A\r\n0123456789\r\n0\r\n\r\n",
                     expected: request(.PUT, "/x", path: "/x", headers: [("Host", "h"), ("Transfer-Encoding", "Chunked")],
                                       body: "0123456789")),
    ValidRequestCase(name: "HTTP/1.0 without Host", raw: "GET /index.html HTTP/1.0\r\n\r\n",
                     expected: request(.GET, "/index.html", path: "/index.html", version: .http1_0, headers: [])),
    ValidRequestCase(name: "bare LF line endings (RFC 9112 §2.2 MAY)", raw: "GET /lf HTTP/1.1\nHost: h\nX-Mixed: 1\r\n\n",
                     expected: request(.GET, "/lf", path: "/lf", headers: [("Host", "h"), ("X-Mixed", "1")])),
    ValidRequestCase(name: "absolute-form takes the path",
                     raw: "GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
                     expected: request(.GET, "http://example.com:8080/a/b?c=d", path: "/a/b", query: "c=d",
                                       headers: [("Host", "example.com:8080")])),
    ValidRequestCase(name: "empty Host with absolute-form (the target names the authority)",
                     raw: "GET http://example.com/ HTTP/1.1\r\nHost:\r\n\r\n",
                     expected: request(.GET, "http://example.com/", path: "/", headers: [("Host", "")])),
    ValidRequestCase(name: "empty Host on HTTP/1.0", raw: "GET / HTTP/1.0\r\nHost:\r\n\r\n",
                     expected: request(.GET, "/", path: "/", version: .http1_0, headers: [("Host", "")])),
    ValidRequestCase(name: "absolute-form without a path", raw: "HEAD https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
                     expected: request(.HEAD, "https://example.com", path: "/", headers: [("Host", "example.com")])),
    ValidRequestCase(name: "asterisk-form OPTIONS", raw: "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
                     expected: request(.OPTIONS, "*", path: "*", headers: [("Host", "h")])),
    ValidRequestCase(name: "optional whitespace and empty values",
                     raw: "GET /ows HTTP/1.1\r\nHost:   h \t\r\nX-Empty:\r\nX-Tabs:\tv  a\t\r\n\r\n",
                     expected: request(.GET, "/ows", path: "/ows", headers: [("Host", "h"), ("X-Empty", ""), ("X-Tabs", "v  a")])),
    ValidRequestCase(name: "repeated identical Content-Length",
                     raw: "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 003\r\n\r\nabc",
                     expected: request(.POST, "/p", path: "/p", headers: [("Host", "h"), ("Content-Length", "3, 3"), ("Content-Length", "003")],
                                       body: "abc")),
    ValidRequestCase(name: "empty lines before the request line", raw: "\r\n\nDELETE /runs/7 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                     expected: request(.DELETE, "/runs/7", path: "/runs/7", headers: [("Host", "h"), ("Connection", "close")])),
    ValidRequestCase(name: "WebSocket upgrade",
                     raw: "GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:8080\r\n\r\n",
                     expected: request(.GET, "/ws/echo", path: "/ws/echo",
                                       headers: [("Host", "127.0.0.1:8080"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                                                 ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
                                                 ("Origin", "http://127.0.0.1:8080")])),
    ValidRequestCase(name: "obs-text and empty query", raw: "PATCH /q? HTTP/1.1\r\nHost: h\r\nX-Latin: caf\u{e9}\r\nContent-Length: 0\r\n\r\n",
                     expected: request(.PATCH, "/q?", path: "/q", query: "", headers: [("Host", "h"), ("X-Latin", "caf\u{e9}"), ("Content-Length", "0")])),
]

@Suite struct HTTPRequestParserTests {
    @Test(arguments: validRequestCases)
    func validRequest_parsesIdenticallyAtEverySplit(_ testCase: ValidRequestCase) {
        let bytes = testCase.raw.bytes
        let expected: [HTTPRequestParser.Result] = [.request(testCase.expected)]
        #expect(parseWhole(bytes) == expected)
        #expect(parseBytewise(bytes) == expected)
        for offset in 0...bytes.count {
            let split = parseSplit(bytes, at: offset)
            #expect(split == expected, "split at \(offset)")
            if split != expected { break }
        }
    }

    @Test func pipelinedRequests_comeOutInOrderWhateverTheSplit() {
        let bytes = validRequestCases.flatMap { $0.raw.bytes }
        let expected = validRequestCases.map { HTTPRequestParser.Result.request($0.expected) }
        #expect(parseWhole(bytes) == expected)
        #expect(parseBytewise(bytes) == expected)
        for offset in stride(from: 0, through: bytes.count, by: 7) {
            #expect(parseSplit(bytes, at: offset) == expected, "split at \(offset)")
        }
    }

    @Test func bytesAfterUpgradeRequest_areHandedBack() {
        var parser = HTTPRequestParser()
        parser.append("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n".bytes + [0x81, 0x85, 1, 2, 3, 4])
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.path == "/ws")
        #expect(parser.takeBufferedBytes() == [0x81, 0x85, 1, 2, 3, 4])
        #expect(parser.next() == .needMoreData)
        #expect(parser.takeBufferedBytes() == [])
    }

    @Test func isMidRequest_tracksAPartialRequest() {
        var parser = HTTPRequestParser()
        #expect(!parser.isMidRequest)
        parser.append("GE".bytes)
        #expect(parser.next() == .needMoreData)
        #expect(parser.isMidRequest)
        parser.append("T / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\na".bytes)
        #expect(parser.next() == .needMoreData)
        #expect(parser.isMidRequest)
        parser.append("b".bytes)
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body == "ab".bytes)
        #expect(!parser.isMidRequest)
        #expect(parser.next() == .needMoreData)
    }

    @Test func expectContinue_isReportedUntilTheBodyArrives() {
        var parser = HTTPRequestParser()
        parser.append("POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".bytes)
        #expect(parser.next() == .needMoreData)
        #expect(parser.expectsContinue)
        parser.append("abc".bytes)
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body == "abc".bytes)
        #expect(!parser.expectsContinue)
        var old = HTTPRequestParser()
        old.append("POST /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".bytes)
        #expect(old.next() == .needMoreData)
        #expect(!old.expectsContinue)
    }

    @Test func headOfBodyInProgress_isShownOnceTheHeadIsComplete_untilTheRequestIsOut() {
        var parser = HTTPRequestParser()
        parser.append("POST /u?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n".bytes)
        #expect(parser.next() == .needMoreData)
        #expect(parser.headOfBodyInProgress == nil && parser.declaredBodyLength == nil && !parser.isReadingBody)
        parser.append("\r\nab".bytes)
        #expect(parser.next() == .needMoreData)
        let head = parser.headOfBodyInProgress
        #expect(head?.method == .POST && head?.path == "/u" && head?.query == "x=1" && head?.headers["Host"] == "h" && head?.body == [])
        #expect(parser.declaredBodyLength == 1000 && parser.isReadingBody)
        parser.reserveDeclaredBody()
        #expect(parser.allocatedByteCount >= 1000)
        parser.append([UInt8](repeating: 1, count: 998))
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body.count == 1000 && request.body.capacity >= 1000)
        #expect(parser.headOfBodyInProgress == nil && parser.declaredBodyLength == nil)
        var chunked = HTTPRequestParser()
        chunked.append("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".bytes)
        #expect(chunked.next() == .needMoreData)
        #expect(chunked.headOfBodyInProgress?.path == "/c" && chunked.declaredBodyLength == nil)
    }

    @Test func allocatedByteCount_isCapacity_notLength() {
        var parser = HTTPRequestParser()
        parser.append([UInt8](repeating: 0x41, count: 10_000))   // junk that is no request line yet
        #expect(parser.bufferedByteCount == 10_000)
        #expect(parser.allocatedByteCount >= 10_000)
    }

    @Test func deadParser_keepsReportingItsErrorAndIgnoresInput() {
        var parser = HTTPRequestParser()
        parser.append("BREW /pot HTTP/1.1\r\n".bytes)
        #expect(parser.next() == .error(.methodNotImplemented("BREW")))
        parser.append("GET / HTTP/1.1\r\nHost: h\r\n\r\n".bytes)
        #expect(parser.next() == .error(.methodNotImplemented("BREW")))
        #expect(!parser.isMidRequest)
    }

    @Test func largeBodyInManySmallReads_arrivesIntact() {
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let raw = "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.count)\r\n\r\n".bytes + body
        var chunks: [[UInt8]] = []
        var index = 0
        while index < raw.count { chunks.append(Array(raw[index..<min(index + 997, raw.count)])); index += 997 }
        guard case .request(let request)? = parseChunks(chunks).first else { Issue.record("no request"); return }
        #expect(request.body == body)
    }

    @Test func chunkedBodyFedBytewise_isLinearAndIntact() {
        var raw = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".bytes
        var body: [UInt8] = []
        for size in 1...300 {
            let chunk = [UInt8](repeating: UInt8(size & 0xFF), count: size)
            raw += String(size, radix: 16).bytes + "\r\n".bytes + chunk + "\r\n".bytes
            body += chunk
        }
        raw += "0\r\n\r\n".bytes
        guard case .request(let request)? = parseBytewise(raw).first else { Issue.record("no request"); return }
        #expect(request.body == body)
    }
}
