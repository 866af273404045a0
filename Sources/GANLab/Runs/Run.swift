import Foundation
import GANEngine

/// One live run: its trainer and views, its state machine, its metrics history and the connections watching.
///
/// Threads: everything but `post`, `status` and the immutable identity is owned by the run's turn, which the
/// scheduler gives to one worker at a time. Other threads reach the run only through its inbox (commands,
/// joins, requests for a record) and read the `status` it publishes. The driver (`perform`) drains the inbox
/// between training steps and does what the machine says, so a pause waits for at most one chunk of training.
public final class Run: ScheduledTask, @unchecked Sendable {
    /// The run's public code.
    public let code: RunCode
    /// SHA-256 of the control token.
    let tokenHash: [UInt8]
    /// When the run was created.
    let createdAt: Date
    /// The run it was forked from.
    let forkedFrom: RunCode?
    /// Where messages from other threads wait.
    let inbox: RunInbox
    /// What every run of the lab shares.
    let environment: RunEnvironment

    // Owned by the run's turn.
    /// The networks and their optimisers.
    var trainer: Trainer
    /// Computes a frame's quantities from the trainer.
    var views: ViewComputer
    /// The lifecycle: what to do next, given the time.
    var machine: RunMachine
    /// The real data.
    var data: RunData
    /// Which per-preset settings the run started from.
    var defaults: SettingsProfile
    /// Metric rows over the run's life, bounded.
    var history: MetricsHistory
    /// What was changed since the networks were built, for share links (docs/run-format.md).
    var edits: RunEditLog
    /// A share link's changes still to apply as the run trains.
    var replay: RunReplay?
    /// The connections watching, by peer identity.
    var subscribers: [ObjectIdentifier: Subscriber] = [:]
    /// The real samples shown (`data.real`), drawn from a stream of their own.
    var shownReal: [Float] = []
    /// When anything last changed.
    var updatedAt: Date
    /// Frames computed so far (the header's `sequence`).
    var frameSequence: UInt32 = 0
    /// The epoch, the updates into it and the generation `views.snapshot` was computed at (nil: recompute).
    /// Updates count too: slow motion and split epochs change the weights within one epoch.
    var snapshotKey: (epoch: Int, updates: Int, generation: Int)?
    /// The `data` message, cached until the data or generation changes.
    var dataMessage: String?
    /// The `history` message, cached until the next row.
    var historyMessage: String?
    /// Deleted or evicted: the next turn ends it.
    var isClosed = false
    /// The registry asked the run to leave memory (to make room): answered after the inbox batch.
    var evictionRequest: (@Sendable (Bool) -> Void)?
    /// Messages a command made stale, sent after its `ack`.
    var pendingResend: (data: Bool, history: Bool) = (false, false)

    private let statusLock = NSLockBox()
    private var publishedStatus: RunStatus?
    private let turnFlag = NSLockBox()
    private var isInTurn = false

    /// A new run from `blueprint`. Throws naming the setting or data field that is wrong.
    init(code: RunCode, tokenHash: [UInt8], blueprint: RunBlueprint, environment: RunEnvironment, forkedFrom: RunCode? = nil)
        throws(LabProtocolError) {
        let configuration = try blueprint.makeConfiguration()
        let distribution = try blueprint.data.makeDistribution()
        self.code = code
        self.tokenHash = tokenHash
        self.environment = environment
        self.forkedFrom = forkedFrom
        let c = environment.configuration
        createdAt = environment.wallClock()
        updatedAt = createdAt
        inbox = RunInbox(capacity: c.inboxCapacity)
        data = blueprint.data
        defaults = blueprint.defaults
        trainer = try Self.makeTrainer(configuration, distribution)
        views = ViewComputer(trainer: trainer)
        history = MetricsHistory(maxRows: c.maxHistoryRows, minimumInterval: c.metricsInterval)
        edits = blueprint.replayLog ?? RunEditLog(base: configuration)
        replay = blueprint.replayLog.map { RunReplay($0) }.flatMap { $0.isFinished ? nil : $0 }
        let now = environment.clock.now()
        machine = RunMachine(playState: blueprint.isPlaying ? .playing : .paused, failure: nil, speed: blueprint.speed,
                             isSlowMotion: false, secondsPerStep: c.defaultSecondsPerStep, generation: 1,
                             discriminatorSteps: configuration.discriminatorSteps, generatorSteps: configuration.generatorSteps,
                             timing: RunMachine.Timing(c), now: now)
        machine.markNew(now: now)
        dataChanged()
        publishStatus()
    }

    /// The run saved in `record` (restored from the archive, imported, or forked with a new code).
    init(restoring record: RunRecord, environment: RunEnvironment) throws(LabProtocolError) {
        let distribution = try record.data.makeDistribution()
        code = record.code
        tokenHash = record.tokenHash
        self.environment = environment
        forkedFrom = record.forkedFrom
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        let c = environment.configuration
        inbox = RunInbox(capacity: c.inboxCapacity)
        data = record.data
        defaults = record.defaults
        do {
            trainer = try Trainer(restoring: record.trainer, distribution: distribution)
        } catch {
            throw .badField(field: "trainer", message: "The saved run cannot continue: \(error.description)")
        }
        views = ViewComputer(trainer: trainer)
        history = MetricsHistory(rows: record.metrics, maxRows: c.maxHistoryRows, minimumInterval: c.metricsInterval)
        edits = record.edits
        let resumed = RunReplay(record.edits, resumingAt: trainer.epoch)
        replay = resumed.isFinished ? nil : resumed
        // A file may come from a server with wider ranges (or be crafted): pace and speed are brought into this one's.
        let secondsPerStep = c.secondsPerStepRange.contains(record.secondsPerStep) ? record.secondsPerStep : c.defaultSecondsPerStep
        let speed = RunSpeed(record.epochsPerSecond.map { min(max($0, c.epochsPerSecondRange.lowerBound), c.epochsPerSecondRange.upperBound) })
        let configuration = trainer.configuration
        machine = RunMachine(playState: record.playState, failure: record.error, speed: speed,
                             isSlowMotion: record.isSlowMotion, secondsPerStep: secondsPerStep, generation: max(1, record.generation),
                             discriminatorSteps: configuration.discriminatorSteps, generatorSteps: configuration.generatorSteps,
                             timing: RunMachine.Timing(c), now: environment.clock.now())
        dataChanged()
        publishStatus()
    }

    /// A trainer, with a configuration error mapped to the wire.
    static func makeTrainer(_ configuration: GANConfiguration, _ distribution: any RealDistribution) throws(LabProtocolError) -> Trainer {
        do {
            return try Trainer(configuration: configuration, distribution: distribution)
        } catch {
            throw .outOfRange(field: error.field, message: error.description)
        }
    }

    // MARK: other threads

    /// The newest published state.
    public var status: RunStatus { statusLock.withLock { publishedStatus! } }

    /// Queues a message and wakes the run.
    func post(_ message: RunMessage) throws(RunInbox.Refusal) {
        try inbox.post(message)
        environment.scheduler.wake(self)
    }

    /// Whether a worker is inside the run's turn right now (shutdown skips such a run).
    var isBusy: Bool { turnFlag.withLock { isInTurn } }

    /// Checks a token against the run's (constant time).
    func accepts(token: String) -> Bool { RunToken.matches(token, storedHash: tokenHash) }

    // MARK: the turn

    /// Does the turn's work: drain the inbox, then whatever the machine says, until it says sleep or yield.
    public func perform(_ turn: SchedulerTurn, now _: Double) -> SchedulerWake {
        turnFlag.withLock { isInTurn = true }
        defer { turnFlag.withLock { isInTurn = false } }
        guard !isClosed else { return .finished }
        let epochBefore = trainer.epoch, generationBefore = machine.generation
        var wake: SchedulerWake?
        machine.beginTurn()
        while wake == nil {
            let now = environment.clock.now()
            for message in inbox.drain() { handle(message, now: now) }
            if isClosed { return .finished }
            if let reply = evictionRequest {
                // After the whole batch, so no message taken from the inbox is left unhandled by an evicted run.
                evictionRequest = nil
                let evicted = subscribers.isEmpty && evict(now: now)
                reply(evicted)
                if evicted { return .finished }
            }
            machine.alignToTrainer(updatesTaken: trainer.updatesTakenInEpoch)
            let work = machine.next(now: now, turn: turn, epochsUntilMetrics: epochsUntilMetrics(now: now))
            switch work {
            case .broadcastState: broadcastState(now: now)
            case .publishFrame: publishFrame(now: now)
            case .recordMetrics: recordMetrics(now: now)
            case .save: save(now: now)
            case .evict: if evict(now: now) { return .finished }
            case .train(let epochs): train(epochs: epochs, now: now)
            case .trainUpdates(let count): trainUpdates(count, now: now)
            case .update(let kind): update(kind, now: now)
            case .subStep(let step): subStep(step, now: now)
            case .yield: wake = SchedulerWake(wantsSlices: true, dueAt: machine.wakeTime(now: now))
            case .sleep(let until): wake = SchedulerWake(wantsSlices: false, dueAt: until)
            }
            if environment.scheduler.isStopRequested { wake = .idle }
        }
        if trainer.epoch != epochBefore || machine.generation != generationBefore { updatedAt = environment.wallClock() }
        publishStatus()
        return wake!
    }

    /// Publishes the status other threads read.
    func publishStatus() {
        let s = RunStatus(code: code, playState: machine.playState, failure: machine.failure, isSlowMotion: machine.isSlowMotion,
                          secondsPerStep: machine.secondsPerStep, epoch: trainer.epoch, generation: machine.generation,
                          speed: machine.speed, defaults: defaults, configuration: trainer.configuration, data: data, shownReal: shownReal,
                          viewers: subscribers.count, metrics: history.rows.last, outstandingSteps: machine.outstandingSteps,
                          createdAt: createdAt, updatedAt: updatedAt, forkedFrom: forkedFrom, lastActivity: machine.lastActivityAt)
        statusLock.withLock { publishedStatus = s }
    }

    /// Everything the run is, as a value (call inside the run's turn, or when no worker can run it).
    func record() -> RunRecord {
        RunRecord(code: code, tokenHash: tokenHash, data: data, defaults: defaults, trainer: trainer.capturedState(),
                  playState: machine.playState, error: machine.failure, epochsPerSecond: machine.speed.epochsPerSecond,
                  isSlowMotion: machine.isSlowMotion, generation: machine.generation, metrics: history.rows,
                  createdAt: createdAt, updatedAt: updatedAt, forkedFrom: forkedFrom, secondsPerStep: machine.secondsPerStep,
                  edits: edits)
    }

    // MARK: training

    private func train(epochs: Int, now: Double) {
        let clock = environment.clock
        do {
            if var r = replay {
                // A share link's changes apply at their epochs (RunReplay), so the copy stays bit-identical.
                defer { replay = r.isFinished ? nil : r }
                let before = trainer.configuration
                try r.train(trainer, epochs: epochs)
                if trainer.configuration != before {
                    // The machine plans in the trainer's k_D + k_G updates per epoch: with stale ones a step
                    // split into single updates overshoots its epochs. Viewers see the replayed settings too.
                    let c = trainer.configuration
                    machine.settingsChanged(discriminatorSteps: c.discriminatorSteps, generatorSteps: c.generatorSteps, now: clock.now())
                    snapshotKey = nil
                }
            } else {
                try trainer.train(epochs: epochs)
            }
            machine.didTrain(epochs: epochs, seconds: clock.now() - now, now: clock.now())
        } catch {
            machine.didFail("\(error)", now: clock.now())
        }
    }

    /// Single updates within epochs (a heavy epoch split across turns). A share link's replay applies its changes
    /// at epoch boundaries, so while one is under way the run trains a whole epoch instead, or finishes the one
    /// under way without starting the next.
    private func trainUpdates(_ count: Int, now: Double) {
        var count = count
        if replay != nil {
            let taken = trainer.updatesTakenInEpoch
            if taken == 0 { return train(epochs: 1, now: now) }
            count = min(count, trainer.configuration.discriminatorSteps + trainer.configuration.generatorSteps - taken)
        }
        let clock = environment.clock, before = trainer.epoch
        do {
            for _ in 0..<count { try trainer.stepWithinEpoch() }
            machine.didTrainUpdates(count, epochsStarted: trainer.epoch - before, seconds: clock.now() - now, now: clock.now())
        } catch {
            machine.didFail(error.description, now: clock.now())
        }
    }

    /// Epochs to finish before the next metrics row (the epoch under way counts as one): rows are taken at epoch
    /// boundaries only.
    private func epochsUntilMetrics(now: Double) -> Int {
        history.adapt(epoch: trainer.epoch, now: now)
        guard trainer.updatesTakenInEpoch > 0 else { return history.epochsUntilDue(from: trainer.epoch) }
        return max(1, history.epochsUntilDue(from: trainer.epoch - 1))
    }

    /// The person changed the run by hand: a share link's remaining changes no longer apply.
    func endReplay() {
        guard replay != nil else { return }
        edits.truncate(after: trainer.epoch)
        replay = nil
    }

    private func update(_ kind: StepKind, now: Double) {
        let clock = environment.clock
        endReplay()
        edits.record(kind == .discriminator ? .discriminatorStep : .generatorStep, at: trainer.epoch)
        do {
            if kind == .discriminator { try trainer.stepDiscriminator() } else { try trainer.stepGenerator() }
            machine.didTrain(epochs: 1, seconds: clock.now() - now, now: clock.now())
        } catch {
            machine.didFail(error.description, now: clock.now())
        }
    }

    private func subStep(_ step: SlowMotionStep, now: Double) {
        let clock = environment.clock
        do {
            // One update of the epoch under way (the trainer knows which network is next): the k_D + k_G updates
            // of a slow-motion epoch are exactly one epoch, so the edit log needs no entry for them.
            if step == .discriminatorUpdate || step == .generatorUpdate { try trainer.stepWithinEpoch() }
            machine.didSubStep(step, seconds: clock.now() - now, now: clock.now())
        } catch {
            machine.didFail(error.description, now: clock.now())
        }
    }

    // MARK: saving and eviction

    private func save(now: Double) {
        let record = record()
        environment.saver.save(record) { [weak self] in try? self?.post(.saveFailed) }
        machine.didSave(now: now)
    }

    private func evict(now: Double) -> Bool {
        let record = record()
        guard environment.saver.saveNow(record) else {
            machine.evictionDeclined(now: now)
            return false
        }
        machine.didSave(now: now)
        guard let registry = environment.registry, registry.evict(self) else {
            machine.evictionDeclined(now: now)
            return false
        }
        isClosed = true
        return true
    }
}
