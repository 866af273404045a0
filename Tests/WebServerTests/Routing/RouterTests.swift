import Testing
import WebServer

@Suite struct RouterTests {
    func request(_ method: HTTPMethod, _ target: String) -> HTTPRequest {
        var parser = HTTPRequestParser()
        parser.append(Array("\(method.rawValue) \(target) HTTP/1.1\r\nHost: t\r\n\r\n".utf8))
        guard case .request(let request) = parser.next() else { fatalError("test request did not parse") }
        return request
    }

    func makeRouter() -> Router {
        var router = Router()
        router.get("/api/runs") { _, _ in .json(.ok, "[]") }
        router.post("/api/runs") { _, _ in .json(HTTPStatus(201, "Created"), "{}") }
        router.get("/api/runs/:id") { _, p in .json(.ok, "{\"id\":\"\(p["id"] ?? "")\"}") }
        router.delete("/api/runs/:id/frames/:frame") { _, p in .json(.ok, "\"\(p["id"]!)/\(p["frame"]!)\"") }
        router.get("/fail") { _, _ in throw HTTPError(.badRequest, "nope") }
        return router
    }

    @Test func literalRoute_matchesItsMethod() throws {
        let response = try #require(makeRouter().respond(to: request(.POST, "/api/runs")))
        #expect(response.status.code == 201)
    }

    @Test func parameters_areCapturedAndDecoded() throws {
        let response = try #require(makeRouter().respond(to: request(.GET, "/api/runs/a%20b")))
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"id\":\"a b\"}")
        let two = try #require(makeRouter().respond(to: request(.DELETE, "/api/runs/7/frames/9")))
        #expect(String(decoding: two.body, as: UTF8.self) == "\"7/9\"")
    }

    @Test func queryString_doesNotAffectMatching() throws {
        let response = try #require(makeRouter().respond(to: request(.GET, "/api/runs/3?x=1")))
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"id\":\"3\"}")
    }

    @Test func unknownPath_isNil() {
        #expect(makeRouter().respond(to: request(.GET, "/api/nothing")) == nil)
        #expect(makeRouter().respond(to: request(.GET, "/api/runs/1/extra")) == nil)
    }

    @Test func wrongMethod_is405WithAllow() throws {
        let response = try #require(makeRouter().respond(to: request(.PUT, "/api/runs")))
        #expect(response.status.code == 405)
        #expect(response.headers["Allow"] == "GET, POST, HEAD")
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"code\": 405"))
    }

    @Test func aLiteralSegment_beatsAParameter_whateverTheOrder() throws {
        var router = makeRouter()   // "/api/runs/:id" (GET) was added first
        router.post("/api/runs/import") { _, _ in .json(HTTPStatus(201, "Created"), "{}") }
        let get = try #require(router.respond(to: request(.GET, "/api/runs/import")))
        #expect(get.status.code == 405 && get.headers["Allow"] == "POST")
        #expect(try #require(router.respond(to: request(.POST, "/api/runs/import"))).status.code == 201)
        let other = try #require(router.respond(to: request(.GET, "/api/runs/ABCDEF")))   // other codes still look up
        #expect(String(decoding: other.body, as: UTF8.self) == "{\"id\":\"ABCDEF\"}")
        #expect(RoutePattern("/a/b/:c").isMoreSpecific(than: RoutePattern("/a/:b/c")))
        #expect(!RoutePattern("/a/:x").isMoreSpecific(than: RoutePattern("/a/:y")))
    }

    @Test func head_fallsBackToGet() throws {
        let response = try #require(makeRouter().respond(to: request(.HEAD, "/api/runs/5")))
        #expect(response.status.code == 200)
    }

    @Test func thrownHTTPError_becomesJSONError() throws {
        let response = try #require(makeRouter().respond(to: request(.GET, "/fail")))
        #expect(response.status.code == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"message\": \"nope\""))
    }

    @Test func patternMatching_worksWithoutRequests() {
        let pattern = RoutePattern("/a/:x/c")
        #expect(pattern.match("/a/b/c")?["x"] == "b")
        #expect(pattern.match("/a/b/d") == nil)
        #expect(pattern.match("/a/b") == nil)
        #expect(pattern.match("/a/%zz/c") == nil)
    }

    @Test func patternMatching_comparesDecodedBytes_andRefusesBadEscapes() {
        let pattern = RoutePattern("/api/runs/:code/frames")
        #expect(pattern.match("/api/runs/ABC/frames")?["code"] == "ABC")
        #expect(pattern.match("/api/%72uns/A%20B/frames")?["code"] == "A B")   // an encoded literal still matches
        #expect(pattern.match("//api//runs/ABC/frames/")?["code"] == "ABC")    // empty segments are ignored
        #expect(pattern.match("/api/runs/A%2/frames") == nil)
        #expect(pattern.match("/api/runs/%FF/frames") == nil)                   // not UTF-8
        #expect(pattern.match("/api/runs/ABC") == nil)
        #expect(pattern.match("/api/runs/ABC/frames/x") == nil)
        #expect(pattern.match("/api/rung/ABC/frames") == nil)
        #expect(RoutePattern("/").match("/") != nil && RoutePattern("/").match("/x") == nil)
        #expect(RoutePattern("/a/:b") == RoutePattern("/a/:b") && RoutePattern("/a/:b") != RoutePattern("/a/:c"))
    }

    @Test func mimeTypes_comeFromTheLastComponentOnly() {
        #expect(MIMEType.forPath("/dir.html/file") == MIMEType.fallback)
        #expect(MIMEType.forPath("/a.b.CSS") == "text/css; charset=utf-8")
        #expect(MIMEType.forPath("/x.") == MIMEType.fallback)
        #expect(MIMEType.forPath("index.html") == "text/html; charset=utf-8")
        #expect(MIMEType.forPath("/.html") == MIMEType.fallback)
    }
}
