import Testing
import WebServer

@Suite struct HTTPResponseEntityTagTests {
    func get(_ ifNoneMatch: String? = nil, method: HTTPMethod = .GET) -> HTTPRequest {
        HTTPRequest(method: method, target: "/api/run", headers: ifNoneMatch.map { ["If-None-Match": $0] } ?? [:])
    }

    @Test func entityTag_isStrongQuoted_andFollowsTheBody() {
        let a = HTTPResponse.entityTag(for: Array("{\"epoch\":1}".utf8))
        #expect(a.hasPrefix("\"") && a.hasSuffix("\"") && !a.hasPrefix("W/"))
        #expect(a == HTTPResponse.entityTag(for: Array("{\"epoch\":1}".utf8)))
        #expect(a != HTTPResponse.entityTag(for: Array("{\"epoch\":2}".utf8)))
    }

    @Test func conditional_addsValidators_andAnswers304WhenTheTagMatches() {
        let response = HTTPResponse.json(.ok, "{\"epoch\":1}")
        let first = response.conditional(on: get())
        let tag = try! #require(first.headers["ETag"])
        #expect(first.status == .ok && first.headers["Cache-Control"] == "no-cache" && first.body == response.body)
        for header in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
            let second = response.conditional(on: get(header))
            #expect(second.status == .notModified, "\(header)")
            #expect(second.body.isEmpty && second.headers["ETag"] == tag && second.headers["Content-Type"] == nil)
        }
        #expect(response.conditional(on: get("\"stale\"")).status == .ok)
        #expect(response.conditional(on: get(tag, method: .POST)).status == .ok)   // only GET/HEAD revalidate
        #expect(HTTPResponse.error(.notFound, "x").conditional(on: get("*")).status == .notFound)
    }

    @Test func notModified_letsARouteSkipTheBody() {
        #expect(HTTPResponse.notModified(get("\"run-7\""), entityTag: "\"run-7\"")?.status == .notModified)
        #expect(HTTPResponse.notModified(get("\"run-6\""), entityTag: "\"run-7\"") == nil)
        #expect(HTTPResponse.notModified(get(), entityTag: "\"run-7\"") == nil)
        let custom = HTTPResponse.json(.ok, "{}").conditional(on: get(), entityTag: "\"run-7\"")
        #expect(custom.headers["ETag"] == "\"run-7\"")
    }
}
