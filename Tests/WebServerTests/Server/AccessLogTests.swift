import Foundation
import Logging
import Testing
@testable import WebServer

/// Captures log lines so a test can read what the server logged.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(Logger.Level, String)] = []
    func append(_ level: Logger.Level, _ line: String) { lock.lock(); lines.append((level, line)); lock.unlock() }
    var all: [(Logger.Level, String)] { lock.lock(); defer { lock.unlock() }; return lines }

    struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            log.append(level, message.description)
        }
    }
}

@Suite struct AccessLogTests {
    @Test func line_hasPeerMethodPathStatusBytesAndDuration_neverTheQuery() {
        let request = HTTPRequest(method: .GET, target: "/api/run?token=s3cret", headers: ["Authorization": "Bearer s3cret"])
        let line = AccessLog.line(peer: PeerAddress(host: "192.168.1.7", port: 51234), request: AccessLog.Request(request), status: 200, bytes: 812,
                                  nanoseconds: 410_000)
        #expect(line == "192.168.1.7:51234 GET /api/run?… 200 812 0.41ms")
        #expect(AccessLog.line(peer: PeerAddress(host: "::1", port: 9), request: nil, status: 400, bytes: 0, nanoseconds: nil) == "[::1]:9 - - 400 0")
        #expect(AccessLog.format(milliseconds: 12.34) == "12.3ms" && AccessLog.format(milliseconds: 1530.2) == "1530ms")
    }

    @Test func server_logsEachRequestAtDebugByDefault_withThePeer_andNoSecrets() throws {
        func serve(logLevel: Logger.Level) throws -> [(Logger.Level, String)] {
            let captured = CapturedLog()
            var configuration = TestServer.configuration()
            configuration.logLevel = logLevel
            let fixture = try PublicFolderFixture()
            configuration.publicDirectory = fixture.root
            let server = HTTPServer(configuration: configuration, logger: Logger(label: "test") { _ in CapturedLog.Handler(log: captured) })
            server.router.get("/api/x") { _, _ in .json(.ok, "{}") }
            try server.start()
            defer { server.stop() }
            let c = try LoopbackClient(port: server.port)
            c.send("GET /api/x?token=s3cret HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret\r\n\r\n")
            _ = try c.readResponse()
            c.send("GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            _ = try c.readResponse()
            _ = waitUntil { captured.all.count >= 2 }
            return captured.all
        }
        let quiet = try serve(logLevel: .info)
        #expect(quiet.isEmpty)   // the default level shows no access lines
        let lines = try serve(logLevel: .debug)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.0 == .debug })
        #expect(lines[0].1.hasPrefix("127.0.0.1:") && lines[0].1.contains(" GET /api/x?… 200 2 "))
        #expect(lines[1].1.contains(" GET /nope 404 "))
        #expect(!lines.contains { $0.1.contains("s3cret") || $0.1.contains("Bearer") })
    }

    @Test func serverErrors_warnAtTheDefaultLevel_butOneLinePerStatusPer10s() throws {
        let captured = CapturedLog()
        var configuration = TestServer.configuration()
        configuration.logLevel = .info
        let fixture = try PublicFolderFixture()
        configuration.publicDirectory = fixture.root
        let server = HTTPServer(configuration: configuration, logger: Logger(label: "test") { _ in CapturedLog.Handler(log: captured) })
        try server.start()
        defer { server.stop() }
        for _ in 0..<20 {   // a client can cause 501 at will: 20 of them must not make 20 warnings
            let c = try LoopbackClient(port: server.port)
            c.send("FOO / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try c.readResponse().status == 501)
        }
        let c = try LoopbackClient(port: server.port)
        c.send("GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try c.readResponse().status == 505)
        #expect(waitUntil { captured.all.contains { $0.1.contains(" 505 ") } })
        let warnings = captured.all.filter { $0.0 == .warning }
        #expect(warnings.filter { $0.1.contains(" 501 ") }.count == 1)
        #expect(warnings.filter { $0.1.contains(" 505 ") }.count == 1)
    }
}
