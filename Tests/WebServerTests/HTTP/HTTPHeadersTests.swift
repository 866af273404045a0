import Testing
import WebServer

@Suite struct HTTPHeadersTests {
    @Test func lookup_isCaseInsensitiveAndOrdered() {
        var headers = HTTPHeaders([("Accept", "a"), ("X-Multi", "1"), ("x-multi", "2")])
        headers.add("X-MULTI", "3")
        #expect(headers["accept"] == "a")
        #expect(headers["X-Multi"] == "1")
        #expect(headers.values("x-MULTI") == ["1", "2", "3"])
        #expect(headers.contains("ACCEPT"))
        #expect(!headers.contains("Accept-Encoding"))
        #expect(headers["missing"] == nil)
    }

    @Test func tokens_areSplitTrimmedAndLowercased() {
        let headers = HTTPHeaders([("Connection", "keep-alive, Upgrade"), ("Connection", " ,TE ,, "), ("Upgrade", "WebSocket")])
        #expect(headers.tokens("connection") == ["keep-alive", "upgrade", "te"])
        #expect(headers.tokens("Upgrade") == ["websocket"])
        #expect(headers.tokens("Missing") == [])
    }

    @Test func replaceOrAdd_replacesFirstAndDropsTheRest() {
        var headers = HTTPHeaders([("A", "1"), ("B", "x"), ("a", "2")])
        headers.replaceOrAdd("A", "3")
        #expect(headers.values("A") == ["3"])
        #expect(Array(headers).map { $0.name } == ["A", "B"])
        headers.replaceOrAdd("C", "4")
        #expect(Array(headers).map { "\($0.name)=\($0.value)" } == ["A=3", "B=x", "C=4"])
    }

    @Test func remove_dropsEveryField() {
        var headers: HTTPHeaders = ["A": "1", "B": "2"]
        headers.add("a", "3")
        headers.remove("A")
        #expect(headers.count == 1)
        #expect(headers["B"] == "2")
    }
}
