import Foundation
import Testing
import GANLab
import LabClient
import WebServer

/// An archive that refuses to save while `isFailing` (a full disk, a read-only directory).
final class FailingArchive: RunArchive, @unchecked Sendable {
    let inner = MemoryRunArchive()
    private let lock = NSLock()
    private var failing = true
    var isFailing: Bool {
        get { lock.lock(); defer { lock.unlock() }; return failing }
        set { lock.lock(); failing = newValue; lock.unlock() }
    }
    struct DiskFull: Error, CustomStringConvertible { var description: String { "no space left on device" } }
    func save(_ record: RunRecord) throws { if isFailing { throw DiskFull() }; try inner.save(record) }
    func load(_ code: RunCode) throws -> RunRecord? { try inner.load(code) }
    func remove(_ code: RunCode) throws { try inner.remove(code) }
    func codes() throws -> [RunCode] { try inner.codes() }
}

/// The `RunArchive` seam: autosave, eviction and transparent reload, restore at start, save at shutdown.
@Suite(.serialized) struct RunPersistenceTests {
    @Test func changes_areAutosavedAfterTheInterval() throws {
        let lab = try TestLab { $0.autosaveInterval = 0.2 }
        let run = try lab.create(["playing": false])
        let code = RunCode(run.code)!
        #expect(eventually { (try? lab.archive.load(code)) ?? nil != nil }, "a new run is saved")
        let socket = try lab.join(run.code, token: run.token)
        try socket.command(["type": "step", "count": 3])
        #expect(eventually { ((try? lab.archive.load(code)) ?? nil)?.trainer.epoch == 3 })
        let saved = try #require(try lab.archive.load(code))
        #expect(saved.tokenHash == RunToken(text: run.token).hash, "the token's hash, never the token")
        #expect(saved.playState == .paused && saved.code == code)
    }

    @Test func newRuns_areSavedAtOnce_notAfterTheInterval() throws {
        let lab = try TestLab { $0.autosaveInterval = 3_600 }
        let run = try lab.create(["playing": true])
        #expect(eventually { (try? lab.archive.load(RunCode(run.code)!)) ?? nil != nil },
                "a crash a moment after creating a run must not lose it: saved long before the hour's autosave")
        let socket = try lab.join(run.code, token: run.token)
        let forked = try socket.command(["type": "fork"])
        let forkCode = try #require(forked["code"] as? String)
        #expect(eventually { (try? lab.archive.load(RunCode(forkCode)!)) ?? nil != nil }, "so is a fork")
    }

    @Test func idleRun_isEvicted_andComesBackWhenItsCodeIsOpened() throws {
        let lab = try TestLab { $0.idleRunLifetime = 0.3 }
        let run = try lab.create(["playing": false])
        let socket = try lab.join(run.code, token: run.token)
        try socket.command(["type": "step", "count": 2])
        _ = try socket.frame { $0.header.epoch == 2 }
        socket.client.close()
        #expect(eventually { lab.lab.registry.count == 0 }, "evicted once nobody watched for the idle lifetime")
        #expect(try lab.archive.load(RunCode(run.code)!)?.trainer.epoch == 2)
        let summary = try HTTPClient.request("GET", "/api/runs/\(run.code)", port: lab.port)
        #expect(summary.status == 200 && summary.json?["epoch"] as? Int == 2, "loaded again transparently")
        let again = try lab.join(run.code, token: run.token)
        #expect(try again.command(["type": "step"])["type"] as? String == "ack", "the token still controls it")
    }

    @Test func archivedRuns_areRestoredAtStart_withTheirTokens() throws {
        let archive = MemoryRunArchive()
        var code = "", token = ""
        do {
            let first = try TestLab(archive: archive)
            let run = try first.create(["playing": false])
            (code, token) = (run.code, run.token)
            let socket = try first.join(run.code, token: run.token)
            try socket.command(["type": "step", "count": 4])
            _ = try socket.frame { $0.header.epoch == 4 }
            first.lab.stop()
        }
        #expect(try archive.load(RunCode(code)!)?.trainer.epoch == 4, "saved at shutdown")
        let second = try TestLab(archive: archive)
        #expect(second.lab.registry.codes.map(\.text) == [code], "restored at start")
        let socket = try second.join(code, token: token)
        #expect(try socket.command(["type": "step"])["type"] as? String == "ack")
    }

    @Test func failingArchive_isReportedByHealthz_andTheRunKeepsWorking() throws {
        let archive = FailingArchive()
        var server = ServerConfigurationForTests.make()
        server.port = 0
        var configuration = LabConfiguration()
        configuration.autosaveInterval = 0.1
        let failing = try Lab(configuration: configuration, server: server, archive: archive)
        try failing.start()
        defer { failing.stop() }
        let created = try HTTPClient.request("POST", "/api/runs", port: failing.port, body: Array(#"{"playing":false}"#.utf8))
        #expect(created.status == 201)
        var health: [String: Any] = [:]
        #expect(eventually {
            health = (try? HTTPClient.request("GET", "/healthz", port: failing.port).json) ?? [:]
            return health["status"] as? String == "degraded"
        })
        #expect(((health["problems"] as? [String])?.first ?? "").contains("no space left on device"))
        archive.isFailing = false
        #expect(eventually { (try? HTTPClient.request("GET", "/healthz", port: failing.port).json?["status"] as? String) == "ok" },
                "the save is retried and the problem clears")
    }

    @Test func shutdown_finishesWithinTwoSeconds_underABacklog() throws {
        let lab = try TestLab()
        for _ in 0..<4 {
            let run = try lab.create(["speed": "max"], smallViews: false)
            let socket = try lab.join(run.code, token: run.token)
            try socket.command(["type": "step", "count": 10_000])
        }
        let started = Date()
        lab.lab.stop()
        #expect(Date().timeIntervalSince(started) < 2)
    }
}

/// A quiet server configuration for tests that build their own `Lab`.
enum ServerConfigurationForTests {
    static func make() -> ServerConfiguration {
        var server = ServerConfiguration()
        server.logLevel = .critical
        server.shutdownGracePeriod = 0.5
        return server
    }
}

extension RunPersistenceTests {
    @Test func editLog_replayedFromTheStart_reproducesTheRunBitForBit() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false, "seed": 11])
        let socket = try lab.join(run.code, token: run.token)
        try socket.command(["type": "step", "count": 3])
        try socket.command(["type": "configure", "config": ["generator.learningRate": 0.05, "discriminatorSteps": 1]])
        try socket.command(["type": "step", "what": "d"])
        try socket.command(["type": "step", "count": 4])
        _ = try socket.frame { $0.header.epoch == 8 }
        let original = try lab.lab.registry.record(of: RunCode(run.code)!)
        #expect(original.edits.entries.count == 2, "the live configure and the d step: \(original.edits.entries)")

        var blueprint = RunBlueprint(configuration: lab.lab.configuration)
        blueprint.data = original.data
        blueprint.isPlaying = false
        blueprint.replayLog = original.edits
        let (copy, token) = try lab.lab.registry.create(blueprint)
        let copySocket = try lab.join(copy.code.text, token: token.text)
        try copySocket.command(["type": "step", "count": 8])
        _ = try copySocket.frame { $0.header.epoch == 8 }
        let replayed = try lab.lab.registry.record(of: copy.code)
        #expect(replayed.trainer == original.trainer, "same weights, optimiser state and stream after the same epochs")
    }
}
