/// The kind of turn the scheduler gives a task.
public enum SchedulerTurn: Sendable, Equatable {
    /// Due work (a frame, a command, a paced epoch): do it and little else before `until`.
    case due(until: Double)
    /// A round-robin time slice for continuous training, until `until`.
    case slice(until: Double)

    /// When the turn should end.
    public var end: Double {
        switch self {
        case .due(let t), .slice(let t): return t
        }
    }
}

/// When a task next wants the CPU.
public struct SchedulerWake: Sendable, Equatable {
    /// Wants round-robin slices (training as fast as the workers allow).
    public var wantsSlices: Bool
    /// Has due work at this time (nil: none until woken).
    public var dueAt: Double?
    /// The task is done: forget it.
    public var isFinished: Bool

    /// Slices and/or a due time.
    public init(wantsSlices: Bool, dueAt: Double?) {
        self.wantsSlices = wantsSlices
        self.dueAt = dueAt
        self.isFinished = false
    }

    /// Nothing until woken.
    public static let idle = SchedulerWake(wantsSlices: false, dueAt: nil)
    /// Remove the task.
    public static let finished: SchedulerWake = {
        var wake = SchedulerWake(wantsSlices: false, dueAt: nil)
        wake.isFinished = true
        return wake
    }()
}

/// Something the scheduler runs: a run. `perform` is never called on two threads at once for one task.
public protocol ScheduledTask: AnyObject, Sendable {
    /// Does the turn's work and says when the task next wants one.
    func perform(_ turn: SchedulerTurn, now: Double) -> SchedulerWake
}
