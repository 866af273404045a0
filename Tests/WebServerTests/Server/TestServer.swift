import Foundation
import Testing
import WebServer

/// Starts a server on 127.0.0.1 port 0 with short timeouts and a temporary public folder.
final class TestServer {
    let server: HTTPServer
    let folder: PublicFolderFixture
    var port: Int { server.port }

    static func configuration() -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .critical
        configuration.headerReadTimeout = 0.4
        configuration.keepAliveTimeout = 2
        configuration.lingerTimeout = 0.3
        configuration.shutdownGracePeriod = 1
        configuration.webSocketPingInterval = 5
        configuration.webSocketDeadPeerTimeout = 5
        return configuration
    }

    /// A test server with default test limits whose routes are added by `setUp` (trailing-closure form).
    convenience init(setUp: (HTTPServer) -> Void) throws {
        try self.init({ _ in }, setUp: setUp)
    }

    init(_ adjust: (inout ServerConfiguration) -> Void = { _ in }, setUp: (HTTPServer) -> Void = { _ in }) throws {
        folder = try PublicFolderFixture()
        var configuration = Self.configuration()
        configuration.publicDirectory = folder.root
        adjust(&configuration)
        server = HTTPServer(configuration: configuration)
        setUp(server)
        try server.start()
    }

    func client(timeout: Double = 3) throws -> LoopbackClient { try LoopbackClient(port: port, timeout: timeout) }

    deinit { server.stop() }
}
