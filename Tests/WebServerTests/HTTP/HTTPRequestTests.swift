import Testing
import WebServer

@Suite struct HTTPRequestTests {
    private func request(_ version: HTTPVersion, connection: String?) -> HTTPRequest {
        var headers = HTTPHeaders([("Host", "h")])
        if let connection { headers.add("Connection", connection) }
        return HTTPRequest(method: .GET, target: "/", version: version, headers: headers)
    }

    @Test func http11_isPersistentUnlessClose() {
        #expect(request(.http1_1, connection: nil).isKeepAlive)
        #expect(request(.http1_1, connection: "keep-alive").isKeepAlive)
        #expect(!request(.http1_1, connection: "close").isKeepAlive)
        #expect(!request(.http1_1, connection: "Keep-Alive, CLOSE").isKeepAlive)
        #expect(request(.http1_1, connection: "Upgrade").isKeepAlive)
    }

    @Test func http10_isPersistentOnlyWithKeepAlive() {
        #expect(!request(.http1_0, connection: nil).isKeepAlive)
        #expect(request(.http1_0, connection: "Keep-Alive").isKeepAlive)
        #expect(!request(.http1_0, connection: "keep-alive, close").isKeepAlive)
    }

    @Test func keepAlive_followsParsedRequests() {
        let raw = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let alive = parseWhole(raw.bytes).compactMap { result -> Bool? in
            if case .request(let request) = result { return request.isKeepAlive }
            return nil
        }
        #expect(alive == [true, false, false])
    }

    @Test func target_splitsIntoPathAndQuery() {
        let cases: [(String, String, String?)] = [
            ("/", "/", nil), ("/a?b", "/a", "b"), ("/a?b?c", "/a", "b?c"), ("/a%2Fb?x=%20", "/a%2Fb", "x=%20"),
            ("http://h/p?q", "/p", "q"), ("http://h?q", "/", "q"), ("HTTP://H:80", "/", nil), ("*", "*", nil),
        ]
        for (target, path, query) in cases {
            let request = HTTPRequest(method: .GET, target: target)
            #expect(request.path == path, "\(target)")
            #expect(request.query == query, "\(target)")
        }
    }
}
