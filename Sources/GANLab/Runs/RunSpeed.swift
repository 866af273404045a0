/// How fast a playing run trains: a pace a class can watch, or as fast as its share of the workers allows.
public enum RunSpeed: Sendable, Equatable {
    /// This many epochs per second (`LabConfiguration.epochsPerSecondRange`).
    case epochsPerSecond(Double)
    /// As fast as the scheduler allows (round-robin time slices shared with the other busy runs).
    case max

    /// The pace, or nil for `.max` (the form a `RunRecord` stores).
    public var epochsPerSecond: Double? {
        if case .epochsPerSecond(let rate) = self { return rate }
        return nil
    }

    /// `.max` for nil.
    public init(_ epochsPerSecond: Double?) {
        self = epochsPerSecond.map(RunSpeed.epochsPerSecond) ?? .max
    }
}
