import Foundation
import Glibc
import Testing
import WebServer

@Suite struct ServerLimitsTests {
    @Test func slowloris_isClosedAfterHeaderTimeout() throws {
        let t = try TestServer { $0.headerReadTimeout = 0.3 }
        let c = try t.client(timeout: 3)
        c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(c.waitForClose())
    }

    @Test func idleKeepAliveConnection_isClosed() throws {
        let t = try TestServer { $0.keepAliveTimeout = 0.3 }
        let c = try t.client(timeout: 3)
        c.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(c.waitForClose())
    }

    @Test func connectionsBeyondMax_get503AndClose() throws {
        let t = try TestServer { $0.maxConnections = 2 }
        let a = try t.client(), b = try t.client()
        a.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try a.readResponse().status == 200)
        b.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try b.readResponse().status == 200)
        let c = try t.client()
        let r = try c.readResponse()
        #expect(r.status == 503)
        #expect(r.header("Connection") == "close")
        #expect(c.waitForClose())
        a.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try a.readResponse().status == 200)   // the others are unaffected
    }

    @Test func busyPort_givesTypedError() throws {
        let t = try TestServer()
        var configuration = TestServer.configuration()
        configuration.port = t.port
        let second = HTTPServer(configuration: configuration)
        #expect(throws: SocketError.addressInUse(host: "127.0.0.1", port: t.port)) { try second.start() }
        let message = SocketError.addressInUse(host: "127.0.0.1", port: t.port).description
        #expect(message.contains("already in use") && !message.contains("\n"))
    }

    @Test func invalidAddress_givesTypedError() {
        var configuration = TestServer.configuration()
        configuration.host = "not-an-address"
        #expect(throws: ServerConfigurationError.self) { try HTTPServer(configuration: configuration).start() }
        #expect(throws: SocketError.invalidAddress("not-an-address")) { _ = try SocketAddress(host: "not-an-address", port: 80) }
        #expect(throws: SocketError.invalidPort(70000)) { _ = try SocketAddress(host: "127.0.0.1", port: 70000) }
    }

    @Test func invalidConfiguration_namesTheField() {
        var configuration = TestServer.configuration()
        configuration.maxConnections = 0
        #expect(throws: ServerConfigurationError.self) { try configuration.validate() }
        #expect((try? configuration.validate()) == nil)
        do { try configuration.validate() } catch { #expect(error.description.contains("maxConnections")) }
    }

    @Test func ipv6Loopback_servesWhenAvailable() throws {
        guard (try? ListeningSocket(address: SocketAddress(host: "::1", port: 0))) != nil else { return }   // no IPv6 here
        let t = try TestServer { $0.host = "::1" }
        #expect(t.server.localAddress?.urlHost == "[::1]")
        let c = try LoopbackClient(port: t.port, host: "::1")
        c.send("GET /style.css HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        #expect(try c.readResponse().text == "body{}")
    }

    @Test func portZero_picksAPort() throws {
        let t = try TestServer()
        #expect(t.port > 0)
        #expect(t.server.localAddress?.host == "127.0.0.1")
    }
}
