import Foundation
import Testing
import GANEngine
import GANLab

@Suite struct RunViewJSONTests {
    private func decode(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func encodesValidJSONWithTheSnapshotsNumbers() throws {
        var snapshot = ViewSnapshot()
        snapshot.epoch = 42
        snapshot.fakes = [0.5, -0.25, 1, -1]
        snapshot.decisionResolution = 2
        snapshot.decisionField = [0.1, 0.2, 0.3, 0.99999]
        snapshot.metrics.discriminatorLoss = 1.25
        snapshot.metrics.generatorLoss = .nan
        let header = RunViewJSON.Header(preset: "ring", seed: 7, isRunning: true, epochsPerSecond: 100,
                                        error: "a \"quoted\"\nline")
        let object = try decode(RunViewJSON.encode(header, snapshot: snapshot, real: [0.125, -0.0001]))
        #expect(object["preset"] as? String == "ring")
        #expect(object["epoch"] as? Int == 42)
        #expect(object["running"] as? Bool == true)
        #expect(object["error"] as? String == "a \"quoted\"\nline")
        let metrics = try #require(object["metrics"] as? [String: Any])
        #expect(metrics["d_loss"] as? Double == 1.25)
        #expect(metrics["g_loss"] is NSNull, "NaN must become null, not invalid JSON")
        #expect(object["fake"] as? [Double] == [0.5, -0.25, 1, -1])
        #expect(object["real"] as? [Double] == [0.125, -0.0001])
        let field = try #require(object["field"] as? [String: Any])
        #expect(field["resolution"] as? Int == 2)
        #expect(field["values"] as? [Double] == [0.1, 0.2, 0.3, 1])
    }

    @Test func numbersRoundToFourDecimalsAndKeepTheirSign() throws {
        var snapshot = ViewSnapshot()
        snapshot.fakes = [-0.00004, -0.00006, 123.45678, -7]
        let header = RunViewJSON.Header(preset: "line", seed: 1, isRunning: false, epochsPerSecond: 1, error: nil)
        let object = try decode(RunViewJSON.encode(header, snapshot: snapshot, real: []))
        #expect(object["fake"] as? [Double] == [0, -0.0001, 123.4568, -7])
        #expect(object["error"] is NSNull)
    }
}
