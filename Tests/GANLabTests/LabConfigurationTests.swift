import Testing
import GANLab

@Suite struct LabConfigurationTests {
    @Test func defaults_areValid_andMatchTheIssue() throws {
        let c = LabConfiguration()
        try c.validate()
        #expect(c.maxRuns == 256 && c.maxViewersPerRun == 1_000 && c.maxMessageBytes == 1 << 20)
        #expect(c.maxStepCount == 10_000 && c.framesPerSecondRange == 1...60 && c.defaultFramesPerSecond == 30)
        #expect(c.defaultSpeed == .epochsPerSecond(100) && c.defaultPreset == .gaussians && c.startsPlaying)
        #expect(c.maxHistoryRows == 10_000 && c.maxPoints == 20_000)
    }

    @Test(arguments: [
        ("maxRuns", { (c: inout LabConfiguration) in c.maxRuns = 0 }),
        ("maxViewersPerRun", { (c: inout LabConfiguration) in c.maxViewersPerRun = 0 }),
        ("idleRunLifetime", { (c: inout LabConfiguration) in c.idleRunLifetime = 0 }),
        ("defaultSeed", { (c: inout LabConfiguration) in c.defaultSeed = 1 << 53 }),
        ("defaultSpeed", { (c: inout LabConfiguration) in c.defaultSpeed = .epochsPerSecond(0.5) }),
        ("maxMessageBytes", { (c: inout LabConfiguration) in c.maxMessageBytes = 100 }),
        ("commandsPerSecond", { (c: inout LabConfiguration) in c.commandsPerSecond = 0 }),
        ("defaultFramesPerSecond", { (c: inout LabConfiguration) in c.defaultFramesPerSecond = 61 }),
        ("historyMessageRows", { (c: inout LabConfiguration) in c.historyMessageRows = 20_000 }),
        ("workers", { (c: inout LabConfiguration) in c.workers = 0 }),
        ("timeSlice", { (c: inout LabConfiguration) in c.timeSlice = .nan }),
    ] as [(String, @Sendable (inout LabConfiguration) -> Void)])
    func outOfRangeFields_areNamed(_ field: String, _ change: @Sendable (inout LabConfiguration) -> Void) {
        var c = LabConfiguration()
        change(&c)
        do {
            try c.validate()
            Issue.record("\(field) passed")
        } catch {
            #expect(error.field == field, "\(error)")
        }
    }
}
