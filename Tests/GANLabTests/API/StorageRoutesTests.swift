import Foundation
import Testing
import GANLab
import LabClient

/// The run-file routes over a real lab on port 0 (docs/protocol.md §1).
@Suite struct StorageRoutesTests {
    func makeLab() throws -> TestLab {
        try TestLab(beforeStart: { StorageRoutes.install(on: $0, pretrained: PretrainedRuns(directory: nil)) })
    }

    @Test func samplesCSV_realRowsAreThePointsThePageShows() throws {
        let t = try makeLab()
        let (code, _, _) = try t.create(["playing": false])
        let socket = try RunSocket(port: t.port, code: code)
        _ = try socket.expect("hello")
        _ = try socket.expect("state")
        let data = try socket.expect("data")
        let shown = try #require(data["real"] as? [Double])
        let response = try HTTPClient.request("GET", "/api/runs/\(code)/samples.csv", port: t.port)
        #expect(response.status == 200)
        let rows = response.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let real = rows.filter { $0.first == "real" }.flatMap { [Double($0[1])!, Double($0[2])!] }
        let fake = rows.filter { $0.first == "fake" }
        #expect(real.count == shown.count)
        // The data message rounds to 4 decimals; the CSV has full precision.
        #expect(zip(real, shown).allSatisfy { abs($0 - $1) < 1e-3 })
        #expect(!fake.isEmpty)
    }

    /// `POST /api/runs {"pretrained": …}` from the committed folder: a new run, paused at the file's epoch, whose
    /// trainer is the file's bit for bit, that trains on from there.
    @Test func pretrained_createsARunAtItsTrainedEpoch() throws {
        let folder = PretrainedRuns(directory: PretrainedRunsTests.directory)
        let preset = try #require(folder.available.first)
        let saved = try #require(try folder.record(for: preset))
        let t = try TestLab(beforeStart: { StorageRoutes.install(on: $0, pretrained: folder) })
        let presets = try #require(try HTTPClient.request("GET", "/api/presets", port: t.port).json?["presets"] as? [[String: Any]])
        #expect(presets.contains { $0["name"] as? String == preset.rawValue && $0["pretrained"] as? Bool == true }, "\(presets)")

        let (code, token, answer) = try t.create(["pretrained": preset.rawValue], smallViews: false)
        let run = try #require(answer["run"] as? [String: Any])
        #expect(run["epoch"] as? Int == saved.trainer.epoch)
        #expect(run["state"] as? String == "paused")
        #expect(code != saved.code.text)
        let exported = try RunRecordCodec.decode(try HTTPClient.request("GET", "/api/runs/\(code)/export", port: t.port).body)
        #expect(exported.trainer == saved.trainer)
        #expect(exported.data == .preset(preset))

        let socket = try t.join(code, token: token)
        _ = try socket.command(["type": "step", "what": "epoch", "count": 3])
        #expect(ServerProcess.poll { ((try? HTTPClient.request("GET", "/api/runs/\(code)", port: t.port).json?["epoch"] as? Int) ?? 0) == saved.trainer.epoch + 3 })

        let missing = try HTTPClient.request("POST", "/api/runs", port: t.port, body: Array(#"{"pretrained":"nonesuch"}"#.utf8))
        #expect(missing.status == 400)
    }
}
