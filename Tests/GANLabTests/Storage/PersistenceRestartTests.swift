import Foundation
import Testing
import GANEngine
import GANLab
import LabClient
#if canImport(Glibc)
import Glibc
#endif

/// Runs outlive their server (issue 7, acceptance): real `ganlab serve` processes on a real data directory,
/// stopped with SIGTERM or killed with SIGKILL, then started again.
@Suite(.serialized) struct PersistenceRestartTests {
    private func create(_ server: ServerProcess, playing: Bool, speed: Double = 100) throws -> (code: String, token: String) {
        let body: [String: Any] = ["preset": "ring", "playing": playing, "speed": speed, "config": TestLab.smallViews]
        let answer = try server.post("/api/runs", body)
        let json = try #require(answer.json)
        return (try #require(json["code"] as? String), try #require(json["token"] as? String))
    }

    private func exported(_ server: ServerProcess, _ code: String) throws -> RunRecord {
        try RunRecordCodec.decode(try HTTPClient.request("GET", "/api/runs/\(code)/export", port: server.port).body)
    }

    /// Whether the run's token still makes a new connection its controller.
    private func controls(_ server: ServerProcess, _ run: (code: String, token: String)) throws -> Bool {
        let socket = try RunSocket(port: server.port, code: run.code)
        _ = try socket.expect("hello")
        return try socket.command(["type": "auth", "token": run.token])["role"] as? String == "controller"
    }

    private func epoch(_ server: ServerProcess, _ code: String) throws -> Int? {
        try server.json("/api/runs/\(code)")?["epoch"] as? Int
    }

    @Test func afterSIGTERM_runsComeBack_sameCodesEpochsAndWeights_andTokensStillControl() throws {
        let dir = StorageFixtures.temporaryDirectory()
        var before: [String: (token: String, record: RunRecord)] = [:]
        do {
            let server = try ServerProcess(dataDirectory: dir)
            for steps in [30, 45] {
                let run = try create(server, playing: false)
                let socket = try RunSocket(port: server.port, code: run.code)
                _ = try socket.expect("hello")
                #expect(try socket.command(["type": "auth", "token": run.token])["role"] as? String == "controller")
                _ = try socket.command(["type": "configure", "config": ["generator.learningRate": 0.02]])
                _ = try socket.command(["type": "step", "what": "epoch", "count": steps])
                before[run.code] = (run.token, try #require(try server.record(of: run.code, afterEpochs: steps)))
            }
            #expect(server.stop(SIGTERM) == 0)
        }
        let server = try ServerProcess(dataDirectory: dir)
        for (code, saved) in before {
            let record = try exported(server, code)
            #expect(record.code.text == code)
            #expect(record.trainer.epoch == saved.record.trainer.epoch)
            #expect(record.trainer == saved.record.trainer, "weights, optimiser state and random stream bit for bit")
            #expect(record.tokenHash == saved.record.tokenHash)
            let socket = try RunSocket(port: server.port, code: code)
            _ = try socket.expect("hello")
            #expect(try socket.command(["type": "auth", "token": saved.token])["role"] as? String == "controller")
            #expect(try socket.command(["type": "auth", "token": String(repeating: "0", count: 32)])["code"] as? String == "bad-token")
        }
        server.stop()
    }

    /// `ganlab serve`'s autosave interval (`LabConfiguration.autosaveInterval`, not changed by a flag).
    private static let autosaveInterval = LabConfiguration().autosaveInterval

    @Test func afterSIGKILL_atMostTheAutosaveIntervalIsLost_andNoRun() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let server = try ServerProcess(dataDirectory: dir)
        let speed = 200.0
        let run = try create(server, playing: true, speed: speed)
        let file = dir + "/\(run.code).ganrun"
        func savedEpoch() -> Int? { (try? RunRecordCodec.decode(SystemFileSystem().readFile(file)))?.trainer.epoch }
        // The first autosave puts the run on disk; then it trains well past one autosave interval more, so a server
        // that saved only once would lose more than the bound below allows.
        #expect(ServerProcess.poll { savedEpoch() != nil })
        let firstSave = try #require(savedEpoch())
        let allowedLoss = Int(speed * (Self.autosaveInterval + 2))
        #expect(try ServerProcess.poll(timeout: 90) { (try epoch(server, run.code) ?? 0) > firstSave + allowedLoss + 400 })
        let seen = try #require(try epoch(server, run.code))
        server.stop(SIGKILL)

        let restarted = try ServerProcess(dataDirectory: dir)
        let restored = try #require(try epoch(restarted, run.code), "the run came back")
        // Lost: at most what trains in one autosave interval, with 2 s for the save itself on a busy machine.
        #expect(restored >= seen - allowedLoss, "restored \(restored), seen \(seen) just before SIGKILL")
        #expect(restored <= seen)
        #expect(!FileManager.default.fileExists(atPath: dir + "/corrupt"))
        #expect(try controls(restarted, run))
        restarted.stop()
    }

    @Test func afterSIGTERM_aPlayingRunComesBackPlaying_withEveryEpochItHad() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let server = try ServerProcess(dataDirectory: dir)
        let run = try create(server, playing: true, speed: 200)
        #expect(try ServerProcess.poll { (try epoch(server, run.code) ?? 0) >= 50 })
        let seen = try #require(try epoch(server, run.code))
        #expect(server.stop(SIGTERM) == 0)
        // The shutdown save is what is on disk now: at least every epoch seen before the signal.
        let saved = try RunRecordCodec.decode(SystemFileSystem().readFile(dir + "/\(run.code).ganrun"))
        #expect(saved.trainer.epoch >= seen)
        #expect(saved.playState == .playing)

        let restarted = try ServerProcess(dataDirectory: dir)
        let summary = try #require(try restarted.json("/api/runs/\(run.code)"))
        #expect(summary["state"] as? String == "playing")
        #expect((summary["epoch"] as? Int ?? 0) >= saved.trainer.epoch)
        #expect(try ServerProcess.poll { (try epoch(restarted, run.code) ?? 0) > saved.trainer.epoch }, "it trains on after the restart")
        #expect(try controls(restarted, run))
        restarted.stop()
    }

    /// The audit's crash: a file that passes its checksum with an epoch near `Int.max` trapped the worker after the
    /// import, and, saved by then, at every restart. Now it is refused at import, and moved aside at start.
    @Test func aCraftedFileInTheDataDirectory_isMovedAside_andTheServerServes() throws {
        let dir = StorageFixtures.temporaryDirectory()
        var crafted = StorageFixtures.record(code: "CRAFT2", points: false)
        crafted.trainer.epoch = Int.max - 1500
        var unrestorable = StorageFixtures.record(code: "SHAPE2", points: false)
        unrestorable.trainer.tensors[0] = TrainerState.Tensor(name: unrestorable.trainer.tensors[0].name, rows: 1, columns: 1, values: [0])
        for record in [crafted, unrestorable] {
            _ = FileManager.default.createFile(atPath: dir + "/\(record.code).ganrun", contents: Data(RunRecordCodec.encode(record)))
        }
        let server = try ServerProcess(dataDirectory: dir)
        let health = try HTTPClient.request("GET", "/healthz", port: server.port)
        #expect(health.status == 200)
        #expect(health.json?["status"] as? String == "degraded")
        let problems = try #require(health.json?["problems"] as? [String])
        #expect(problems.contains { $0.contains("CRAFT2.ganrun") && $0.contains("epoch 9223372036854774307 is outside") })
        #expect(problems.contains { $0.contains("SHAPE2.ganrun") && $0.contains("has shape 1×1") })
        #expect(try HTTPClient.request("GET", "/api/runs/CRAFT2", port: server.port).status == 404)
        #expect(try create(server, playing: true).code.count == 6)
        #expect(server.stop(SIGTERM) == 0)
        let moved = Set((try? FileManager.default.contentsOfDirectory(atPath: dir + "/corrupt")) ?? [])
        #expect(moved.isSuperset(of: ["CRAFT2.ganrun", "CRAFT2.ganrun.why.txt", "SHAPE2.ganrun", "SHAPE2.ganrun.why.txt"]))
    }

    @Test func exportThenImport_continuesBitIdentically() throws {
        let server = try ServerProcess(dataDirectory: StorageFixtures.temporaryDirectory())
        let run = try create(server, playing: false)
        let socket = try RunSocket(port: server.port, code: run.code)
        _ = try socket.expect("hello")
        _ = try socket.command(["type": "auth", "token": run.token])
        _ = try socket.command(["type": "step", "what": "epoch", "count": 20])
        _ = try #require(try server.record(of: run.code, afterEpochs: 20))
        let file = try HTTPClient.request("GET", "/api/runs/\(run.code)/export", port: server.port)
        #expect(file.status == 200)
        let imported = try HTTPClient.request("POST", "/api/runs/import", port: server.port, body: file.body)
        #expect(imported.status == 201)
        let copy = try #require(imported.json?["code"] as? String)
        let copyToken = try #require(imported.json?["token"] as? String)
        #expect(copy != run.code)
        let copySocket = try RunSocket(port: server.port, code: copy)
        _ = try copySocket.expect("hello")
        _ = try copySocket.command(["type": "auth", "token": copyToken])
        for s in [socket, copySocket] { _ = try s.command(["type": "step", "what": "epoch", "count": 15]) }
        let (a, b) = (try server.record(of: run.code, afterEpochs: 35), try server.record(of: copy, afterEpochs: 35))
        #expect(try #require(a).trainer == #require(b).trainer)
        // A damaged upload is refused with its reason, and nothing is created.
        var damaged = file.body
        damaged[200] ^= 1
        let refused = try HTTPClient.request("POST", "/api/runs/import", port: server.port, body: damaged)
        #expect(refused.status == 400)
        #expect(refused.text.contains("checksum mismatch"))
        server.stop()
    }
}
