/// How many epochs a playing run owes at a given moment: training is paced to a watchable rate
/// (the server could train thousands of epochs a second; a class wants to see the fakes move).
///
/// A value type with no clock of its own: the caller passes the time, so tests need no sleeping.
public struct RunPace: Sendable, Equatable {
    /// Target epochs per second while playing.
    public private(set) var epochsPerSecond: Double
    /// Whether the run is playing.
    public private(set) var isPlaying: Bool
    private var origin: Double = 0
    private var epochsSinceOrigin = 0

    /// A paused pace of `epochsPerSecond` (> 0; the lab's range is `LabConfiguration.epochsPerSecondRange`);
    /// `play(now:)` starts the clock.
    public init(epochsPerSecond: Double) {
        precondition(epochsPerSecond > 0 && epochsPerSecond.isFinite, "pace must be a positive rate")
        self.epochsPerSecond = epochsPerSecond
        self.isPlaying = false
    }

    /// Starts (or keeps) playing from time `now` (seconds).
    public mutating func play(now: Double) {
        if !isPlaying { isPlaying = true; restart(now: now) }
    }

    /// Stops playing.
    public mutating func pause() { isPlaying = false }

    /// Changes the pace from `now` on.
    public mutating func setEpochsPerSecond(_ rate: Double, now: Double) {
        precondition(rate > 0 && rate.isFinite, "pace must be a positive rate")
        epochsPerSecond = rate
        restart(now: now)
    }

    /// Epochs to train now to keep to the pace (0 when paused), at most `limit` so the run stays
    /// responsive to commands. A run that fell further behind (a slow machine, a stalled thread)
    /// drops the backlog rather than racing to catch up.
    public mutating func dueEpochs(now: Double, limit: Int) -> Int {
        guard isPlaying else { return 0 }
        // A hair of slack so 0.1 s at 100 epochs/s owes 10 epochs, not 9.999…
        let target = Int(((now - origin) * epochsPerSecond + 1e-6).rounded(.down))
        let due = target - epochsSinceOrigin
        if due > limit {
            // Start the clock again from now; the epochs returned here are not owed by the new origin.
            origin = now
            epochsSinceOrigin = -limit
            return limit
        }
        return max(due, 0)
    }

    /// Epochs owed at `now` (0 when paused), without dropping any backlog: whether the run is behind.
    public func owedEpochs(now: Double) -> Int {
        guard isPlaying else { return 0 }
        return max(0, Int(((now - origin) * epochsPerSecond + 1e-6).rounded(.down)) - epochsSinceOrigin)
    }

    /// When the next epoch falls due (meaningful while playing).
    public var nextEpochTime: Double { origin + Double(epochsSinceOrigin + 1) / epochsPerSecond }

    /// Records that `count` epochs were trained.
    public mutating func didTrain(_ count: Int) { epochsSinceOrigin += count }

    private mutating func restart(now: Double) {
        origin = now
        epochsSinceOrigin = 0
    }
}
