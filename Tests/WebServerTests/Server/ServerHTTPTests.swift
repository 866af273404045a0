import Foundation
import Testing
import WebServer

@Suite struct ServerHTTPTests {
    @Test func staticFile_isServedWithTypeLengthAndValidators() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.text == "body{}")
        #expect(r.header("Content-Type") == "text/css; charset=utf-8")
        #expect(r.header("Content-Length") == "6")
        #expect(r.header("ETag") != nil)
        #expect(r.header("Last-Modified") != nil)
        #expect(r.header("Cache-Control") == "no-cache")
        #expect(r.header("Date") != nil)
    }

    @Test func rootDirectory_servesIndexHTML() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.text == "<h1>home</h1>")
        #expect(r.header("Content-Type") == "text/html; charset=utf-8")
    }

    @Test func head_sendsHeadersWithoutBody() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("HEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try c.readResponse(bodyless: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "6")
        let get = try c.readResponse()   // would be garbled if HEAD had sent a body
        #expect(get.text == "body{}")
    }

    @Test func matchingETag_gives304_andStaleOneGives200() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try c.readResponse()
        let tag = try #require(first.header("ETag"))
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: \(tag)\r\n\r\n")
        let second = try c.readResponse()
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
        #expect(second.header("ETag") == tag)
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"stale\"\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test func ifModifiedSince_gives304() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        let modified = try #require(try c.readResponse().header("Last-Modified"))
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: \(modified)\r\n\r\n")
        #expect(try c.readResponse().status == 304)
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test func pathTraversal_isRefused() throws {
        let t = try TestServer()
        let c = try t.client()
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt", "/style.css%00"] {
            c.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 400, "\(path)")
            #expect(!r.text.contains("outside"))
        }
        for path in ["/escape.txt", "/escape-dir/secret.txt", "/.env"] {
            c.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 404, "\(path)")
            #expect(!r.text.contains("outside") && !r.text.contains("secret\""))
        }
    }

    @Test func missingFile_isJSON404() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /nope.html HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 404)
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(r.text.contains("\"code\": 404"))
    }

    @Test func healthz_reportsStatusUptimeAndConnections() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        #expect(json["status"] as? String == "ok")
        #expect((json["uptime_s"] as? Double).map { $0 >= 0 } == true)
        #expect(json["connections"] as? Int == 1)
    }

    @Test func healthz_reportsTheApplicationsProblems_asDegraded() throws {
        let t = try TestServer { server in server.healthProblems = { ["cannot save runs: disk full \"/data\""] } }
        let c = try t.client()
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        #expect(json["status"] as? String == "degraded")
        #expect(json["problems"] as? [String] == ["cannot save runs: disk full \"/data\""])
    }

    @Test func pipelinedRequests_areAnsweredInOrder() throws {
        let t = try TestServer { server in
            server.router.get("/slow") { _, _ in usleep(100_000); return .json(.ok, "\"slow\"") }
        }
        let c = try t.client()
        c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "\"slow\"")
        #expect(try c.readResponse().text == "body{}")
        #expect(try c.readResponse().text.contains("\"status\":\"ok\""))
    }

    @Test func keepAlive_servesManyRequestsOnOneConnection_closeEndsIt() throws {
        let t = try TestServer()
        let c = try t.client()
        for _ in 0..<5 {
            c.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 200)
            #expect(r.header("Connection") == nil)
        }
        c.send("GET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let last = try c.readResponse()
        #expect(last.header("Connection") == "close")
        #expect(c.waitForClose())
    }

    @Test func http10_closesUnlessKeepAliveAsked() throws {
        let t = try TestServer()
        let c = try t.client()
        c.send("GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let kept = try c.readResponse()
        #expect(kept.header("Connection")?.lowercased() == "keep-alive")
        c.send("GET /style.css HTTP/1.0\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(c.waitForClose())
    }

    @Test func router_answersJSON_405WithAllow() throws {
        let t = try TestServer { server in
            server.router.get("/api/items/:id") { _, p in .json(.ok, "{\"id\":\"\(p["id"]!)\"}") }
        }
        let c = try t.client()
        c.send("GET /api/items/42 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "{\"id\":\"42\"}")
        c.send("DELETE /api/items/42 HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 405)
        #expect(r.header("Allow") == "GET, HEAD")
        c.send("POST /style.css HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let s = try c.readResponse()
        #expect(s.status == 405)
        #expect(s.header("Allow") == "GET, HEAD")
    }

    @Test func requestBody_reachesHandler() throws {
        let t = try TestServer { server in
            server.router.post("/api/echo") { request, _ in HTTPResponse(status: .ok, body: request.body) }
        }
        let c = try t.client()
        c.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try c.readResponse().text == "hello")
        c.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        #expect(try c.readResponse().text == "abcde")
    }
}
