import Testing
import WebServer

/// Hostile or broken requests get the right status, `Connection: close`, and a closed socket.
@Suite struct ServerErrorTests {
    func expectRefusal(_ request: [UInt8], status: Int, limits: HTTPParserLimits = .init()) throws {
        let t = try TestServer { $0.parserLimits = limits }
        let c = try t.client()
        c.send(request)
        let r = try c.readResponse()
        #expect(r.status == status)
        #expect(r.header("Connection") == "close")
        #expect(r.text.contains("\"code\": \(status)"))
        #expect(c.waitForClose())
    }

    @Test func parseErrorBody_isTheErrorsDescription() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET / HTTP/1.1\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.body == HTTPParseError.missingHost.response.body)
        #expect(r.text.contains(HTTPParseError.missingHost.description))
    }

    @Test func largeBody_is413() throws {
        let limits = HTTPParserLimits(maxBodyBytes: 1000)
        try expectRefusal(Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n".utf8) + [UInt8](repeating: 65, count: 5000),
                          status: 413, limits: limits)
    }

    @Test func longURI_is414() throws {
        try expectRefusal(Array("GET /\(String(repeating: "a", count: 10_000)) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8), status: 414)
    }

    @Test func largeHeaders_are431() throws {
        try expectRefusal(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "b", count: 20_000))\r\n\r\n".utf8), status: 431)
    }

    @Test func malformedRequest_is400() throws {
        try expectRefusal(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\n\r\n".utf8), status: 400)
    }

    @Test func bothLengths_is400() throws {
        try expectRefusal(Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n".utf8), status: 400)
    }

    @Test func missingHost_is400() throws {
        try expectRefusal(Array("GET / HTTP/1.1\r\n\r\n".utf8), status: 400)
    }

    @Test func unknownMethod_is501() throws {
        try expectRefusal(Array("BREW /pot HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8), status: 501)
    }

    @Test func unsupportedVersion_is505() throws {
        try expectRefusal(Array("GET / HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n".utf8), status: 505)
    }

    @Test func http2Preface_is505() throws {
        try expectRefusal(Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), status: 505)
    }

    @Test func errorAfterGoodPipelinedRequest_answersBothInOrder() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(try c.readResponse().status == 505)
        #expect(c.waitForClose())
    }
}
