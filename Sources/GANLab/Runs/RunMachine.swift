/// The lifecycle of one run as a value: play / pause / slow motion / step queue / failed, plus when frames,
/// `state` broadcasts, metric rows, saves and eviction fall due. Every method takes the time and either
/// changes the state or says what to do next (`RunWork`); the run's driver performs it and reports back.
/// No clock, no trainer, no sockets, so tests drive it with made-up times (like `WebSocketConnectionMachine`).
///
/// The work loop (`next`, what training fits in a turn, the reports after training) is in
/// `RunMachine+Training.swift`.
public struct RunMachine: Sendable {
    /// Whether the run plays, is paused, or stopped on a divergence.
    public typealias PlayState = RunRecord.PlayState

    /// The timing knobs (from `LabConfiguration`).
    public struct Timing: Sendable, Equatable {
        /// Seconds between `state` broadcasts at least.
        public var stateInterval: Double
        /// Seconds between saves at least (autosave debounce).
        public var autosaveInterval: Double
        /// Seconds without viewers or commands before eviction.
        public var idleLifetime: Double
        /// Most steps outstanding.
        public var maxOutstandingSteps: Int
        /// Seconds between paced training wake-ups at least while the run keeps up (a paced run trains the epochs
        /// due since, in one go); a run that is behind its pace trains on in round-robin slices instead.
        public var pacingGranularity: Double

        /// Timing from a lab configuration.
        public init(_ c: LabConfiguration) {
            stateInterval = c.stateBroadcastInterval
            autosaveInterval = c.autosaveInterval
            idleLifetime = c.idleRunLifetime
            maxOutstandingSteps = c.maxStepCount
            pacingGranularity = 0.02
        }
    }

    /// The kind of turn the scheduler gave (due work, or a round-robin slice).
    public typealias Turn = SchedulerTurn

    /// What the driver should do next.
    public enum Work: Sendable, Equatable {
        /// Send the `state` message to every viewer.
        case broadcastState
        /// Compute the views and send a frame.
        case publishFrame
        /// Record a metrics row (the driver knows when: see `next(now:turn:epochsUntilMetrics:)`).
        case recordMetrics
        /// Take a record and hand it to the archive.
        case save
        /// Save, then leave memory (the registry may decline if someone just arrived).
        case evict
        /// Train this many whole epochs (the epoch under way, if any, is finished first).
        case train(epochs: Int)
        /// Take this many single updates in `Trainer.stepWithinEpoch()` order: an epoch that does not fit in what
        /// is left of the turn is split, so the turn ends (and a pause takes effect) between two updates.
        case trainUpdates(Int)
        /// One single network update (a `step` of `d` or `g`), which counts as an epoch.
        case update(StepKind)
        /// Perform one slow-motion sub-step (an update at 5 and 10), then a frame follows.
        case subStep(SlowMotionStep)
        /// Training is wanted but this turn is over: give the run another turn soon (round-robin).
        case yield
        /// Nothing until this time (nil: until a message arrives).
        case sleep(until: Double?)
    }

    // MARK: state

    /// Paused, playing or failed.
    public private(set) var playState: PlayState
    /// Why the run failed, while it is failed.
    public private(set) var failure: String?
    /// Epochs per second while playing, or max.
    public private(set) var speed: RunSpeed
    /// Slow motion on (takes effect while playing).
    public private(set) var isSlowMotion: Bool
    /// Seconds between slow-motion sub-steps.
    public private(set) var secondsPerStep: Double
    /// The next sub-step of the slow-motion epoch in progress.
    public internal(set) var slowMotionPosition: SlowMotionPosition
    /// The last sub-step shown (0 after anything else), for the frame header.
    public internal(set) var shownSubStep: Int = 0
    /// Increases whenever networks or data are replaced.
    public private(set) var generation: Int
    /// Steps still to train, in order.
    public internal(set) var steps: [(kind: StepKind, count: Int)] = []
    /// Connections watching (controllers included).
    public private(set) var viewerCount = 0
    /// The highest frame rate any of them asked for (nil: nobody watches, no frames).
    public private(set) var frameRate: Int?
    /// Epochs trained since creation, for the rate in the frame header.
    public internal(set) var rate = RateMeter()

    /// Whether the pending frame follows a change (then every subscriber gets it, whatever its rate).
    public internal(set) var isFrameUrgent = true
    /// Updates of the trainer's epoch under way already taken (`Trainer.updatesTakenInEpoch`; 0 between epochs).
    public internal(set) var updatesTakenInEpoch = 0

    // Internal rather than private only so that RunMachine+Training.swift reaches them; nothing else writes them.
    /// The limits and intervals.
    let timing: Timing
    /// k_D.
    var discriminatorSteps: Int
    /// k_G.
    var generatorSteps: Int
    /// Epochs owed while paced (nil at max speed).
    var pace: RunPace?
    /// When the next slow-motion sub-step is due.
    var nextSubStepAt: Double = 0
    /// When paced training last ran.
    var lastPacedTrainingAt = -Double.infinity
    /// Whether the pace still owed epochs after the last paced training (then no waiting for the granularity).
    var isPaceBehind = false
    /// Measured seconds per network update (a moving average; nil before the first).
    var secondsPerUpdate: Double?
    /// Whether this turn trained already (a slice trains at least one update, but only as its first work).
    var hasTrainedInTurn = false
    /// Whether the last frame is out of date.
    var isFrameStale = true
    /// When the next regular frame is due.
    var nextFrameAt: Double = 0
    /// Whether `state` should go out again.
    var isStateStale = false
    /// When `state` last went out.
    var lastStateAt = -Double.infinity
    /// The first unsaved change since the last save.
    var unsavedSince: Double?
    /// When the run was last saved.
    var lastSaveAt = -Double.infinity
    /// A new run (created, forked, imported) not yet saved once: saved at once, not after the autosave interval.
    var isNeverSaved = false
    /// The last command, join or leave.
    var lastActivityAt: Double

    /// A run's machine, as created or restored.
    public init(playState: PlayState, failure: String?, speed: RunSpeed, isSlowMotion: Bool, secondsPerStep: Double,
                generation: Int, discriminatorSteps: Int, generatorSteps: Int, timing: Timing, now: Double) {
        self.playState = playState
        self.failure = playState == .failed ? (failure ?? "training diverged") : nil
        self.speed = speed
        self.isSlowMotion = isSlowMotion
        self.secondsPerStep = secondsPerStep
        self.generation = generation
        self.discriminatorSteps = discriminatorSteps
        self.generatorSteps = generatorSteps
        self.timing = timing
        self.slowMotionPosition = .start(discriminatorSteps: discriminatorSteps)
        lastActivityAt = now
        if case .epochsPerSecond(let r) = speed { pace = RunPace(epochsPerSecond: r) }
        if playState == .playing { pace?.play(now: now); nextSubStepAt = now }
    }

    /// Whether something changed since the last save.
    public var hasUnsavedChanges: Bool { unsavedSince != nil }

    /// Outstanding steps in total.
    public var outstandingSteps: Int { steps.reduce(0) { $0 + $1.count } }

    /// The header's state byte.
    public var frameState: FrameHeader.State {
        switch playState {
        case .failed: return .failed
        case .paused: return .paused
        case .playing: return isSlowMotion ? .slowMotion : .playing
        }
    }

    // MARK: commands and events (each takes the time)

    /// Starts playing. A failed run refuses (`run-failed`).
    public mutating func play(now: Double) throws(LabProtocolError) {
        if let failure { throw .runFailed(failure) }
        steps.removeAll()
        if playState != .playing {
            playState = .playing
            pace?.play(now: now)
            isPaceBehind = false
            nextSubStepAt = now
        }
        changed(now: now, shown: true, state: true)
    }

    /// Stops training at the end of the epoch under way (`next` finishes it) and drops outstanding steps (a failed
    /// run stays failed).
    public mutating func pause(now: Double) {
        steps.removeAll()
        if playState == .playing { playState = .paused }
        pace?.pause()
        changed(now: now, shown: true, state: true)
    }

    /// Pauses and queues `count` steps. Refused with `run-failed` on a failed run and `rate-limited` when the
    /// queue would exceed its bound (nothing is queued then). Returns the steps now outstanding.
    @discardableResult
    public mutating func step(_ kind: StepKind, count: Int, now: Double) throws(LabProtocolError) -> Int {
        precondition(count > 0, "step count must be positive")
        if let failure { throw .runFailed(failure) }
        guard outstandingSteps + count <= timing.maxOutstandingSteps else {
            throw .rateLimited("At most \(timing.maxOutstandingSteps) steps may be waiting; \(outstandingSteps) are. Wait, or pause to drop them.")
        }
        if playState == .playing { playState = .paused; pace?.pause() }
        slowMotionPosition = .start(discriminatorSteps: discriminatorSteps)
        if let last = steps.last, last.kind == kind { steps[steps.count - 1].count += count } else { steps.append((kind, count)) }
        changed(now: now, shown: false, state: true)
        return outstandingSteps
    }

    /// Changes the speed from `now` on.
    public mutating func setSpeed(_ newSpeed: RunSpeed, now: Double) {
        speed = newSpeed
        isPaceBehind = false
        switch newSpeed {
        case .max: pace = nil
        case .epochsPerSecond(let r):
            if pace == nil {
                pace = RunPace(epochsPerSecond: r)
                if playState == .playing { pace?.play(now: now) }
            } else {
                pace?.setEpochsPerSecond(r, now: now)
            }
        }
        changed(now: now, shown: false, state: true)
    }

    /// Slow motion on or off; a playing run starts its next sub-step at once.
    public mutating func setSlowMotion(_ isOn: Bool, secondsPerStep: Double, now: Double) {
        if isOn != isSlowMotion { slowMotionPosition = .start(discriminatorSteps: discriminatorSteps) }
        isSlowMotion = isOn
        self.secondsPerStep = secondsPerStep
        nextSubStepAt = now
        if !isOn { shownSubStep = 0; if playState == .playing { pace?.pause(); pace?.play(now: now) } }
        changed(now: now, shown: true, state: true)
    }

    /// Networks or data were replaced (reset, a rebuilding change, new data or seed): a new generation, epoch 0,
    /// no failure (a failed run becomes paused), no outstanding steps.
    public mutating func networksReplaced(discriminatorSteps kD: Int, generatorSteps kG: Int, now: Double) {
        generation += 1
        failure = nil
        if playState == .failed { playState = .paused }
        steps.removeAll()
        discriminatorSteps = kD
        generatorSteps = kG
        slowMotionPosition = .start(discriminatorSteps: kD)
        shownSubStep = 0
        if playState == .playing { pace?.pause(); pace?.play(now: now) }
        nextSubStepAt = now
        changed(now: now, shown: true, state: true)
    }

    /// Settings changed live (weights kept): k_D and k_G matter for slow motion.
    public mutating func settingsChanged(discriminatorSteps kD: Int, generatorSteps kG: Int, now: Double) {
        if kD != discriminatorSteps || kG != generatorSteps { slowMotionPosition = .start(discriminatorSteps: kD) }
        discriminatorSteps = kD
        generatorSteps = kG
        changed(now: now, shown: true, state: true)
    }

    /// Who watches changed: their number and the highest frame rate asked for.
    public mutating func viewersChanged(count: Int, frameRate: Int?, now: Double) {
        if frameRate != nil && self.frameRate == nil { nextFrameAt = now }
        viewerCount = count
        self.frameRate = frameRate
        lastActivityAt = now
        isFrameStale = true
        isFrameUrgent = true
        isStateStale = true
    }

    /// Something a viewer sees changed outside the machine (a `subscribe`, a new viewer): a frame now.
    public mutating func frameWanted(now: Double) {
        isFrameStale = true
        isFrameUrgent = true
    }

    /// The run has never been saved (created, forked or imported): save it at once, so that a crash a moment later
    /// loses at most that moment's training, never the run.
    public mutating func markNew(now: Double) {
        if unsavedSince == nil { unsavedSince = now }
        isNeverSaved = true
    }

    /// A save failed: try again after the autosave interval.
    public mutating func markUnsaved(now: Double) {
        if unsavedSince == nil { unsavedSince = now }
    }

    /// When the unsaved changes are due to be saved (nil: nothing unsaved): at once for a new run, else at most one
    /// save per autosave interval.
    var saveDueAt: Double? {
        guard let since = unsavedSince else { return nil }
        return isNeverSaved ? since : max(since, lastSaveAt) + timing.autosaveInterval
    }

    /// A command arrived (keeps the run from being evicted).
    public mutating func touched(now: Double) { lastActivityAt = now }

    /// Training stopped on a divergence.
    public mutating func didFail(_ message: String, now: Double) {
        playState = .failed
        failure = message
        steps.removeAll()
        pace?.pause()
        slowMotionPosition = .start(discriminatorSteps: discriminatorSteps)
        changed(now: now, shown: true, state: true)
    }

    /// A frame went out.
    public mutating func didPublishFrame(now: Double) {
        isFrameStale = false
        isFrameUrgent = false
        // The regular cadence continues from the last due time, but never more than one interval ahead: frames
        // sent early (after commands, joins) must not push the next regular frame into the future.
        let interval = 1 / Double(frameRate ?? 1)
        nextFrameAt = min(nextFrameAt + interval, now + interval)
        if nextFrameAt <= now { nextFrameAt = now + interval }
    }

    /// The `state` message went out.
    public mutating func didBroadcastState(now: Double) {
        isStateStale = false
        lastStateAt = now
    }

    /// A record was taken for saving (changes after this are unsaved again).
    public mutating func didSave(now: Double) {
        unsavedSince = nil
        isNeverSaved = false
        lastSaveAt = now
    }

    /// The registry kept the run (someone arrived while it was being evicted).
    public mutating func evictionDeclined(now: Double) { lastActivityAt = now }

    /// Marks what a change makes stale: the save always, the frame when `shown`, `state` (and activity) when `state`.
    mutating func changed(now: Double, shown: Bool, state: Bool) {
        if unsavedSince == nil { unsavedSince = now }
        if shown { isFrameStale = true }
        if state { isStateStale = true; isFrameUrgent = true; lastActivityAt = now }
    }
}
