import GANEngine

/// What a person changed since the run's networks were last built, stamped with epochs, so a copy built from
/// the same start can replay it and stay bit-identical (docs/run-format.md §3). Share links carry it; saved
/// runs keep it so a restored or imported run can still be shared from its start.
public struct RunEditLog: Sendable, Equatable {
    /// One change a replay must repeat.
    public enum Change: Sendable, Equatable {
        /// A `configure` that kept the weights: the changed setting keys and their new values.
        case configure([String: SettingValue])
        /// One discriminator update on its own (the `d` step).
        case discriminatorStep
        /// One generator update on its own (the `g` step).
        case generatorStep
    }

    /// A change and the epoch counter just before it.
    public struct Entry: Sendable, Equatable {
        /// `Trainer.epoch` when the change was applied.
        public var epoch: Int
        /// What changed.
        public var change: Change

        /// An entry.
        public init(epoch: Int, change: Change) {
            self.epoch = epoch
            self.change = change
        }
    }

    /// Most entries kept; beyond, the log is marked incomplete (the run can no longer be shared from its start).
    public static let maximumEntries = 10_000

    /// The configuration when the networks were last built (creation, reset, rebuild, data, seed).
    public private(set) var base: GANConfiguration
    /// The changes since, oldest first.
    public private(set) var entries: [Entry]
    /// False once a change could not be recorded (too many): replaying would no longer be faithful.
    public private(set) var isComplete: Bool

    /// A log starting at `base` with no changes.
    public init(base: GANConfiguration = GANConfiguration()) {
        self.init(base: base, entries: [], isComplete: true)
    }

    /// A log from its parts (decoders).
    public init(base: GANConfiguration, entries: [Entry], isComplete: Bool) {
        self.base = base
        self.entries = entries
        self.isComplete = isComplete
    }

    /// Starts over: the networks were just rebuilt from `configuration` at epoch 0.
    public mutating func restart(from configuration: GANConfiguration) {
        self = RunEditLog(base: configuration)
    }

    /// Records a change applied at `epoch` (epochs must not decrease; a reset calls `restart` instead).
    public mutating func record(_ change: Change, at epoch: Int) {
        guard isComplete else { return }
        if case .configure(let changes) = change {
            if changes.isEmpty { return }
            // Before anything trained, a live change is the same as having started with it.
            if epoch == 0 && entries.isEmpty, (try? base.apply(changes)) != nil { return }
        }
        guard entries.count < Self.maximumEntries else {
            isComplete = false
            entries = []
            return
        }
        precondition(epoch >= (entries.last?.epoch ?? 0), "RunEditLog: epochs must not decrease")
        entries.append(Entry(epoch: epoch, change: change))
    }

    /// Drops the entries stamped after `epoch` (a copy that was only replayed up to there and then changed by hand).
    public mutating func truncate(after epoch: Int) {
        entries.removeAll { $0.epoch > epoch }
    }
}
