import Foundation
import GANEngine

/// Every limit and default of the lab in one documented place (docs/api.md lists them; `hello.limits` sends
/// the ones a client needs). Defaults suit one teacher and a class of 30 on a school network; tests shrink
/// the times. `validate()` names the field and its allowed range.
public struct LabConfiguration: Sendable {
    // MARK: runs
    /// Runs held in memory at once; creating one more first saves and evicts the longest-idle run that nobody
    /// watches (idle at least `evictableAfter`), else answers `busy`.
    public var maxRuns = 256
    /// Seconds without viewers or commands before a run may be evicted to make room for a new one (a run just
    /// created, whose page has not connected yet, is never the one to go).
    public var evictableAfter: Double = 60
    /// New runs (create, import, fork) per minute from one client address, sustained; `createBurst` at once. A
    /// class behind one router address fits in the burst; one script cannot fill the server in a second.
    public var createsPerMinute: Double = 60
    /// New runs one client address may make at once.
    public var createBurst: Double = 40
    /// Memory one run may hold (`RunFootprint`): a configuration needing more is refused naming the figure.
    public var maxRunBytes = 256 << 20
    /// Multiply-adds one network update may take (`RunCost.updateWork`; ~25 ms of one core here): an update cannot
    /// be interrupted, so a configuration above it is refused (`out-of-range`) rather than holding a worker.
    public var maxUpdateWork = 1_000_000_000
    /// Multiply-adds one frame's views may take (`RunCost.frameWork`; ~60 ms of one core here), for the same reason.
    public var maxFrameWork = 2_500_000_000
    /// Memory all runs together may hold: beyond it new runs (and growing ones) get `busy`.
    public var memoryBudgetBytes = 2 << 30
    /// Connections watching one run (controllers included); one more is closed with 4029.
    public var maxViewersPerRun = 1_000
    /// Seconds a run may go without viewers or commands before it is saved and dropped from memory (it comes
    /// back when someone opens its code).
    public var idleRunLifetime: Double = 3_600
    /// Seconds after a change before a run is saved again (debounce: a playing run is saved this often).
    public var autosaveInterval: Double = 5
    /// When set, every new code starts with this letter of `RunCode.alphabet` (one per server behind a proxy).
    public var codePrefix: Character? = nil

    // MARK: new runs
    /// Preset of a run created without one (`ganlab serve --preset`).
    public var defaultPreset: Preset = .gaussians
    /// Seed of a run created without one (`--seed`).
    public var defaultSeed: UInt64 = 1
    /// Speed of a new run (`--speed`).
    public var defaultSpeed: RunSpeed = .epochsPerSecond(100)
    /// Whether a new run starts playing (`--paused` turns it off).
    public var startsPlaying = true

    // MARK: commands
    /// Largest WebSocket message (a 20,000-point drawing fits); larger closes the socket with 1009.
    public var maxMessageBytes = 1 << 20
    /// Sustained commands per second per connection; bursts of twice this pass.
    public var commandsPerSecond: Double = 20
    /// Forks per minute per connection (bursts of 3): a viewer cannot fill the server with copies.
    public var forksPerMinute: Double = 6
    /// Largest `step` count, and most steps outstanding per run.
    public var maxStepCount = 10_000
    /// Allowed `speed` in epochs per second.
    public var epochsPerSecondRange: ClosedRange<Double> = 1...100_000
    /// Allowed `slowmo.secondsPerStep`.
    public var secondsPerStepRange: ClosedRange<Double> = 0.25...5
    /// `slowmo.secondsPerStep` when not given.
    public var defaultSecondsPerStep: Double = 1.5
    /// Messages waiting for a run's worker beyond which commands are refused (`rate-limited`).
    public var inboxCapacity = 256

    // MARK: frames
    /// Allowed `subscribe.fps`.
    public var framesPerSecondRange: ClosedRange<Int> = 1...60
    /// Frames per second of a connection that has not subscribed.
    public var defaultFramesPerSecond = 30
    /// Real samples drawn once per data for display (`data.real`) and `predictions`.
    public var shownRealSampleCount = 500
    /// Points per preset thumbnail in `GET /api/presets`.
    public var presetSampleCount = 200
    /// Seconds between `state` broadcasts of one run, at least (changes in between are coalesced).
    public var stateBroadcastInterval: Double = 0.1

    // MARK: metrics history
    /// Rows kept per run; beyond, the history is decimated evenly (every other row goes).
    public var maxHistoryRows = 10_000
    /// Rows in a `history` message (evenly decimated from the kept ones).
    public var historyMessageRows = 1_000
    /// Seconds between metric rows at least: the stride in epochs doubles until rows come no faster, so a
    /// run at "max" speed spends well under 1 % of its time on metrics.
    public var metricsInterval: Double = 0.1

    // MARK: scheduling
    /// Worker threads that train runs (nil: one per core).
    public var workers: Int? = nil
    /// Seconds of training a busy run gets per turn before the next busy run's turn (round-robin).
    public var timeSlice: Double = 0.005
    /// Seconds a run may train in a turn given for due work (a frame, a command, a paced epoch) before it
    /// yields to the round-robin.
    public var dueTurnBudget: Double = 0.001
    /// Seconds shutdown waits for the workers to finish their turns before saving what it can.
    public var shutdownWorkerTimeout: Double = 0.5

    /// The defaults above.
    public init() {}

    /// Worker threads actually started.
    public var workerCount: Int { workers ?? max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The most points a drawing may have.
    public var maxPoints: Int { DrawnDistribution.maximumPointCount }

    /// Checks every field; the error names it and its allowed range.
    public func validate() throws(LabConfigurationError) {
        func check(_ ok: Bool, _ field: String, _ value: Any, _ allowed: String) throws(LabConfigurationError) {
            if !ok { throw LabConfigurationError(field: field, value: "\(value)", allowed: allowed) }
        }
        func positive(_ value: Double, _ field: String) throws(LabConfigurationError) {
            try check(value > 0 && value.isFinite, field, value, "> 0 seconds")
        }
        try check((1...100_000).contains(maxRuns), "maxRuns", maxRuns, "1...100000")
        try check(maxRunBytes >= 4 << 20, "maxRunBytes", maxRunBytes, ">= 4194304")
        try check(maxUpdateWork >= 10_000_000, "maxUpdateWork", maxUpdateWork, ">= 10000000")
        try check(maxFrameWork >= 10_000_000, "maxFrameWork", maxFrameWork, ">= 10000000")
        try check(memoryBudgetBytes >= maxRunBytes, "memoryBudgetBytes", memoryBudgetBytes, ">= maxRunBytes")
        try check((1...100_000).contains(maxViewersPerRun), "maxViewersPerRun", maxViewersPerRun, "1...100000")
        try positive(idleRunLifetime, "idleRunLifetime")
        try check(evictableAfter >= 0 && evictableAfter.isFinite, "evictableAfter", evictableAfter, ">= 0 seconds")
        try check(createsPerMinute > 0 && createsPerMinute <= 60_000, "createsPerMinute", createsPerMinute, "0...60000 (above 0)")
        try check(createBurst >= 1 && createBurst <= 100_000, "createBurst", createBurst, "1...100000")
        try positive(autosaveInterval, "autosaveInterval")
        if let codePrefix {
            try check(RunCode.alphabet.contains(Character(codePrefix.uppercased())), "codePrefix", codePrefix,
                      "one of \(String(RunCode.alphabet))")
        }
        try check(defaultSeed <= GANConfiguration.maximumSeed, "defaultSeed", defaultSeed, "0...\(GANConfiguration.maximumSeed)")
        if case .epochsPerSecond(let rate) = defaultSpeed {
            try check(epochsPerSecondRange.contains(rate), "defaultSpeed", rate, "\(epochsPerSecondRange) or max")
        }
        try check(maxMessageBytes >= 1024 && maxMessageBytes <= 16 << 20, "maxMessageBytes", maxMessageBytes, "1024...16777216")
        try check(commandsPerSecond >= 1 && commandsPerSecond <= 10_000, "commandsPerSecond", commandsPerSecond, "1...10000")
        try check(forksPerMinute > 0 && forksPerMinute <= 600, "forksPerMinute", forksPerMinute, "0...600 (above 0)")
        try check((1...1_000_000).contains(maxStepCount), "maxStepCount", maxStepCount, "1...1000000")
        try check(epochsPerSecondRange.lowerBound > 0, "epochsPerSecondRange", epochsPerSecondRange, "positive bounds")
        try check(secondsPerStepRange.lowerBound > 0 && secondsPerStepRange.contains(defaultSecondsPerStep),
                  "defaultSecondsPerStep", defaultSecondsPerStep, "\(secondsPerStepRange)")
        try check(inboxCapacity >= 8, "inboxCapacity", inboxCapacity, ">= 8")
        try check(framesPerSecondRange.lowerBound >= 1 && framesPerSecondRange.contains(defaultFramesPerSecond),
                  "defaultFramesPerSecond", defaultFramesPerSecond, "\(framesPerSecondRange)")
        try check((1...10_000).contains(shownRealSampleCount), "shownRealSampleCount", shownRealSampleCount, "1...10000")
        try check((1...10_000).contains(presetSampleCount), "presetSampleCount", presetSampleCount, "1...10000")
        try positive(stateBroadcastInterval, "stateBroadcastInterval")
        try check(maxHistoryRows >= 4, "maxHistoryRows", maxHistoryRows, ">= 4")
        try check((2...maxHistoryRows).contains(historyMessageRows), "historyMessageRows", historyMessageRows, "2...maxHistoryRows")
        try positive(metricsInterval, "metricsInterval")
        try check(workers.map { (1...256).contains($0) } ?? true, "workers", workers ?? 0, "1...256")
        try positive(timeSlice, "timeSlice")
        try positive(dueTurnBudget, "dueTurnBudget")
        try positive(shutdownWorkerTimeout, "shutdownWorkerTimeout")
    }
}

/// A lab configuration value outside its allowed range.
public struct LabConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's name in `LabConfiguration`.
    public var field: String
    /// The refused value, as text.
    public var value: String
    /// The allowed values, as text.
    public var allowed: String
    /// One line naming field, value and range.
    public var description: String { "invalid \(field) \(value): allowed \(allowed)" }
}
