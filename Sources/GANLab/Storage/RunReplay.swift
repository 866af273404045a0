import GANEngine

/// Trains a trainer built from an edit log's base while applying the log's changes at their epochs: the
/// scheduler calls `train(_:epochs:)` in place of `Trainer.train(epochs:)` for a run opened from a share link.
public struct RunReplay: Sendable {
    /// The log being replayed.
    public let log: RunEditLog
    /// Index of the next entry to apply.
    public private(set) var next = 0

    /// A replay of `log` for a trainer at `epoch`: changes stamped before it count as applied, and so do live
    /// changes stamped with it (a replay always applies those before it stops), but not a step stamped with it.
    public init(_ log: RunEditLog, resumingAt epoch: Int = 0) {
        self.log = log
        next = log.entries.firstIndex { entry in
            if entry.epoch != epoch { return entry.epoch > epoch }
            if case .configure = entry.change { return false }
            return true
        } ?? log.entries.count
    }

    /// True when every change has been applied.
    public var isFinished: Bool { next >= log.entries.count }

    /// Advances the trainer's epoch counter by `count`: whole epochs, with each due change applied just before
    /// the epoch it was stamped with (a `d`/`g` step takes that epoch's place, as it did in the original).
    public mutating func train(_ trainer: Trainer, epochs count: Int) throws {
        let target = trainer.epoch + count
        while trainer.epoch < target {
            try applyDue(trainer)
            guard trainer.epoch < target else { break }
            if !isFinished && log.entries[next].epoch <= trainer.epoch { continue }
            let stop = isFinished ? target : min(target, log.entries[next].epoch)
            try trainer.train(epochs: stop - trainer.epoch)
        }
        try applyConfigurationsDue(trainer)
    }

    /// Trains a fresh copy of the log's run to `epoch`: the reference for tests and for `ganlab train`.
    public static func reproduce(_ log: RunEditLog, data: RunData, toEpoch epoch: Int) throws -> Trainer {
        let trainer = try Trainer(configuration: log.base, distribution: data.makeDistribution())
        var replay = RunReplay(log)
        try replay.train(trainer, epochs: epoch)
        return trainer
    }

    /// Applies every change stamped with the trainer's current epoch; a step advances the epoch and ends the batch.
    private mutating func applyDue(_ trainer: Trainer) throws {
        while !isFinished, log.entries[next].epoch <= trainer.epoch {
            let entry = log.entries[next]
            next += 1
            switch entry.change {
            case .configure(let changes):
                try Self.apply(changes, to: trainer)
            case .discriminatorStep:
                try trainer.stepDiscriminator()
                return
            case .generatorStep:
                try trainer.stepGenerator()
                return
            }
        }
    }

    /// At the target epoch, live changes stamped with it belong before the next epoch: apply them now so a
    /// paused copy shows the same settings as the original did at that epoch.
    private mutating func applyConfigurationsDue(_ trainer: Trainer) throws {
        while !isFinished, log.entries[next].epoch == trainer.epoch, case .configure(let changes) = log.entries[next].change {
            next += 1
            try Self.apply(changes, to: trainer)
        }
    }

    /// A recorded `configure`, applied as the lab applied it.
    public static func apply(_ changes: [String: SettingValue], to trainer: Trainer) throws {
        var configuration = trainer.configuration
        try configuration.apply(changes)
        try trainer.update(configuration: configuration)
    }
}
