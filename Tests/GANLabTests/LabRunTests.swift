import Foundation
import Testing
import GANEngine
import GANLab

@Suite struct LabRunTests {
    private func epoch(of run: LabRun) throws -> Int {
        let object = try #require(JSONSerialization.jsonObject(with: Data(run.latestJSON)) as? [String: Any])
        return try #require(object["epoch"] as? Int)
    }

    /// Waits (bounded) until `condition` holds; the run works on its own thread.
    private func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<500 {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    @Test func pausedRun_stepsExactlyOneEpochPerStepCommand() throws {
        var settings = LabRunSettings()
        settings.startsPlaying = false
        let run = try LabRun(settings: settings)
        run.start()
        defer { run.stop() }
        #expect(try epoch(of: run) == 0)
        run.send(.step)
        run.send(.step)
        #expect(try eventually { try epoch(of: run) == 2 })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try epoch(of: run) == 2, "a paused run must not train on its own")
    }

    @Test func playingRun_trainsUntilPaused_andResetReturnsToEpochZero() throws {
        var settings = LabRunSettings()
        settings.epochsPerSecond = 1_000
        let run = try LabRun(settings: settings)
        run.start()
        defer { run.stop() }
        #expect(try eventually { try epoch(of: run) > 20 })
        run.send(.pause)
        run.send(.reset)
        #expect(try eventually { try epoch(of: run) == 0 })
    }

    @Test func settingsOutOfRange_areRefusedWithTheirRange() {
        var settings = LabRunSettings()
        settings.epochsPerSecond = 0
        #expect(throws: LabError.self) { try LabRun(settings: settings) }
        #expect(LabError.invalidSetting("x").description == "x")
        settings.epochsPerSecond = 10
        settings.framesPerSecond = 500
        #expect(throws: LabError.self) { try settings.validate() }
    }
}
