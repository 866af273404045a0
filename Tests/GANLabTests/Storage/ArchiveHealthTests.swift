import Foundation
import Testing
import GANLab
import WebServer
#if canImport(Glibc)
import Glibc
#endif

/// A full disk shows in a real server's `GET /healthz` ("degraded" with the reason) and clears when saving works again.
@Suite struct ArchiveHealthTests {
    @Test func fullDisk_makesHealthzDegraded_untilARetrySucceeds() throws {
        let fs = FaultyFileSystem()
        let archive = try FileRunArchive(directory: StorageFixtures.temporaryDirectory(), options: .init(retryInterval: 0), fileSystem: fs)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.logLevel = .error
        let server = HTTPServer(configuration: configuration)
        server.healthProblems = { archive.problems }
        try server.start()
        defer { server.stop() }

        func health() throws -> [String: Any] {
            let (status, body) = try LoopbackHTTP.request(port: server.port, path: "/healthz")
            #expect(status == 200)
            return try #require(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        }
        #expect(try health()["status"] as? String == "ok")
        fs.fail(.write, with: ENOSPC)
        #expect(throws: StorageError.self) { try archive.save(StorageFixtures.record()) }
        let degraded = try health()
        #expect(degraded["status"] as? String == "degraded")
        let problems = try #require(degraded["problems"] as? [String])
        #expect(problems.count == 1 && problems[0].contains("run K7QX3M not saved") && problems[0].contains("No space left on device"))
        fs.heal()
        archive.retryFailedSaves()
        #expect(try health()["status"] as? String == "ok")
    }
}
