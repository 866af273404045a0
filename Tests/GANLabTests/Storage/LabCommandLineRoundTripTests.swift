import Foundation
import Testing
import GANEngine
import GANLab
import LabClient

/// Issue 7: "a run trained headless can be imported into the lab and the other way round", continuing bit for bit.
/// Real processes both ways: `ganlab train --save/--resume` and a `ganlab serve` on its own data directory.
@Suite(.serialized) struct LabCommandLineRoundTripTests {
    private func load(_ path: String) throws -> RunRecord {
        try RunRecordCodec.decode(SystemFileSystem().readFile(path))
    }

    /// Steps a run of `server` by `epochs` epochs with its token and returns its record once they have all ended.
    private func step(_ server: ServerProcess, code: String, token: String, epochs: Int, until total: Int) throws -> RunRecord {
        let socket = try RunSocket(port: server.port, code: code)
        _ = try socket.expect("hello")
        #expect(try socket.command(["type": "auth", "token": token])["role"] as? String == "controller")
        #expect(try socket.command(["type": "step", "what": "epoch", "count": epochs])["type"] as? String == "ack")
        return try #require(try server.record(of: code, afterEpochs: total))
    }

    @Test func aTrainSaveFile_importedAndTrainedInTheLab_equalsTrainResume() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let common = ["--preset", "ring", "--seed", "5", "--g-optimizer", "adam", "--every", "25"]
        let saved = try GANLabProcess.run(["train"] + common + ["--epochs", "60", "--save", dir + "/a.ganrun"])
        #expect(saved.status == 0, "\(saved.output)")
        let resumed = try GANLabProcess.run(["train", "--resume", dir + "/a.ganrun", "--epochs", "40", "--save", dir + "/b.ganrun"])
        #expect(resumed.status == 0, "\(resumed.output)")

        let server = try ServerProcess(dataDirectory: StorageFixtures.temporaryDirectory())
        defer { server.stop() }
        let imported = try HTTPClient.request("POST", "/api/runs/import", port: server.port, body: try SystemFileSystem().readFile(dir + "/a.ganrun"))
        #expect(imported.status == 201, "\(imported.text)")
        let code = try #require(imported.json?["code"] as? String), token = try #require(imported.json?["token"] as? String)
        #expect((imported.json?["run"] as? [String: Any])?["epoch"] as? Int == 60)
        let lab = try step(server, code: code, token: token, epochs: 40, until: 100)

        let headless = try load(dir + "/b.ganrun")
        #expect(headless.trainer.epoch == 100)
        #expect(lab.trainer.epoch == 100)
        #expect(lab.trainer.random == headless.trainer.random)
        #expect(lab.trainer.tensors == headless.trainer.tensors, "weights and optimiser moments bit for bit")
        #expect(lab.trainer == headless.trainer)
        #expect(RunRecordCodec.encode(lab).count > 0)
    }

    @Test func aLabExport_resumedByTrain_equalsTheLabTrainingOn() throws {
        let server = try ServerProcess(dataDirectory: StorageFixtures.temporaryDirectory())
        defer { server.stop() }
        let created = try #require(try server.post("/api/runs", ["preset": "moons", "seed": 7, "playing": false,
                                                                   "config": TestLab.smallViews]).json)
        let code = try #require(created["code"] as? String), token = try #require(created["token"] as? String)
        _ = try step(server, code: code, token: token, epochs: 30, until: 30)
        let export = try HTTPClient.request("GET", "/api/runs/\(code)/export", port: server.port)
        #expect(export.status == 200)
        let dir = StorageFixtures.temporaryDirectory()
        #expect(FileManager.default.createFile(atPath: dir + "/lab.ganrun", contents: Data(export.body)))
        #expect(try load(dir + "/lab.ganrun").trainer.epoch == 30)

        let resumed = try GANLabProcess.run(["train", "--resume", dir + "/lab.ganrun", "--epochs", "25", "--save", dir + "/resumed.ganrun"])
        #expect(resumed.status == 0, "\(resumed.output)")
        let lab = try step(server, code: code, token: token, epochs: 25, until: 55)

        let headless = try load(dir + "/resumed.ganrun")
        #expect(headless.trainer.epoch == 55)
        #expect(headless.trainer.random == lab.trainer.random)
        #expect(headless.trainer.tensors == lab.trainer.tensors, "weights and optimiser state bit for bit")
        #expect(headless.trainer == lab.trainer)
        #expect(headless.code.text == code, "the file keeps the run's code")
    }
}
