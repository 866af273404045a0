import Foundation
import Testing
import GANLab
import LabClient
import WebServer
#if canImport(Glibc)
import Glibc
#endif

/// An archive whose removals wait at a gate, fail while `failsRemovals`, and are counted: a slow or read-only disk.
final class SlowRemovalArchive: RunArchive, @unchecked Sendable {
    let inner = MemoryRunArchive()
    private let lock = NSLock()
    private var gateOpen = true
    private var failing = false
    private var removalCount = 0
    var isGateOpen: Bool {
        get { lock.withLock { gateOpen } }
        set { lock.withLock { gateOpen = newValue } }
    }
    var failsRemovals: Bool {
        get { lock.withLock { failing } }
        set { lock.withLock { failing = newValue } }
    }
    var removals: Int { lock.withLock { removalCount } }
    struct ReadOnly: Error, CustomStringConvertible { var description: String { "cannot remove X.ganrun: Read-only file system" } }
    func save(_ record: RunRecord) throws { try inner.save(record) }
    func load(_ code: RunCode) throws -> RunRecord? { try inner.load(code) }
    func remove(_ code: RunCode) throws {
        while !isGateOpen { usleep(1_000) }
        lock.withLock { removalCount += 1 }
        if failsRemovals { throw ReadOnly() }
        try inner.remove(code)
    }
    func codes() throws -> [RunCode] { try inner.codes() }
}

/// A deleted run stays deleted (issue 7 audit): its code answers 404 from the moment DELETE answers 204, while its
/// saved copy is still being removed, while removing it fails (read-only directory), and after a restart.
@Suite(.serialized) struct DeletedRunTests {
    private func makeLab(_ archive: RunArchive, autosaveInterval: Double = 5) throws -> Lab {
        var configuration = LabConfiguration()
        configuration.workers = 2
        configuration.autosaveInterval = autosaveInterval
        var server = ServerConfigurationForTests.make()
        server.port = 0
        let lab = try Lab(configuration: configuration, server: server, archive: archive)
        try lab.start()
        return lab
    }

    private func create(_ port: Int) throws -> (code: String, token: String) {
        let body = try JSONSerialization.data(withJSONObject: ["preset": "ring", "playing": false, "config": TestLab.smallViews])
        let answer = try HTTPClient.request("POST", "/api/runs", port: port, body: Array(body))
        let json = try #require(answer.json, "create answered \(answer.status)")
        return (try #require(json["code"] as? String), try #require(json["token"] as? String))
    }

    private func delete(_ port: Int, _ run: (code: String, token: String)) throws -> Int {
        try HTTPClient.request("DELETE", "/api/runs/\(run.code)", port: port, headers: ["Authorization": "Bearer \(run.token)"]).status
    }

    private func status(_ port: Int, _ code: String) throws -> Int {
        try HTTPClient.request("GET", "/api/runs/\(code)", port: port).status
    }

    /// The audit's zombie: the copy was removed later on the archive queue, and a GET in between loaded it back.
    @Test func aDeletedRun_isNotFound_whileItsSavedCopyIsStillBeingRemoved() throws {
        let archive = SlowRemovalArchive()
        let lab = try makeLab(archive)
        defer { lab.stop() }
        let run = try create(lab.port)
        #expect(eventually { ((try? archive.load(RunCode(run.code)!)) ?? nil) != nil }, "saved at once")
        archive.isGateOpen = false
        #expect(try delete(lab.port, run) == 204)
        #expect(try status(lab.port, run.code) == 404, "not loaded back from the copy still in the archive")
        #expect(try HTTPClient.request("GET", "/api/runs/\(run.code)/export", port: lab.port).status == 404)
        #expect(try delete(lab.port, run) == 404)
        archive.isGateOpen = true
        #expect(eventually { ((try? archive.load(RunCode(run.code)!)) ?? nil) == nil }, "then the copy goes")
        #expect(try status(lab.port, run.code) == 404)
    }

    /// A read-only directory: the deletion is kept (404), the removal retried and reported in /healthz until it works.
    @Test func aDeletedRunWhoseCopyCannotBeRemoved_staysDeleted_isRetried_andShowsInHealthz() throws {
        let archive = SlowRemovalArchive()
        let lab = try makeLab(archive, autosaveInterval: 0.1)
        defer { lab.stop() }
        let run = try create(lab.port)
        #expect(eventually { ((try? archive.load(RunCode(run.code)!)) ?? nil) != nil })
        archive.failsRemovals = true
        #expect(try delete(lab.port, run) == 204)
        #expect(try status(lab.port, run.code) == 404)
        #expect(eventually { archive.removals >= 3 }, "retried")
        #expect(try status(lab.port, run.code) == 404, "still deleted after failed removals")
        let health = try #require(try HTTPClient.request("GET", "/healthz", port: lab.port).json)
        #expect(health["status"] as? String == "degraded")
        let problems = health["problems"] as? [String] ?? []
        #expect(problems.contains { $0.contains("run \(run.code) was deleted") && $0.contains("Read-only file system") }, "\(problems)")
        archive.failsRemovals = false
        #expect(eventually { ((try? archive.load(RunCode(run.code)!)) ?? nil) == nil }, "removed once the directory takes writes")
        #expect(eventually { (try? HTTPClient.request("GET", "/healthz", port: lab.port).json?["status"] as? String) == "ok" })
        #expect(try status(lab.port, run.code) == 404)
    }

    /// The audit's loop over a real server: create, DELETE, GET at once, many times: always 404, and still after a restart.
    @Test func createDeleteGet_overARealServer_isAlways404_andTheFilesAreGone() throws {
        let dir = StorageFixtures.temporaryDirectory()
        var codes: [String] = []
        do {
            let server = try ServerProcess(dataDirectory: dir)
            var answers: [Int: Int] = [:]
            for _ in 0..<40 {
                let run = try create(server.port)
                codes.append(run.code)
                #expect(try delete(server.port, run) == 204)
                answers[try status(server.port, run.code), default: 0] += 1
            }
            #expect(answers == [404: 40])
            #expect(server.stop(SIGTERM) == 0)
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".ganrun") } == [])
        let restarted = try ServerProcess(dataDirectory: dir)
        for code in codes { #expect(try status(restarted.port, code) == 404) }
        restarted.stop()
    }
}
