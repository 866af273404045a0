import Testing
import GANLab

/// The run's lifecycle with made-up times: no clock, no trainer, no sockets.
@Suite struct RunMachineTests {
    static var timing: RunMachine.Timing {
        var c = LabConfiguration()
        c.maxStepCount = 100
        return RunMachine.Timing(c)
    }

    private func machine(playing: Bool = true, speed: RunSpeed = .max, kD: Int = 2, kG: Int = 1, now: Double = 0) -> RunMachine {
        RunMachine(playState: playing ? .playing : .paused, failure: nil, speed: speed, isSlowMotion: false, secondsPerStep: 1,
                   generation: 1, discriminatorSteps: kD, generatorSteps: kG, timing: Self.timing, now: now)
    }

    /// What `next` asks for in a new turn (a slice unless given), answering frames, states and saves as done, until
    /// training or rest.
    private func training(_ m: inout RunMachine, at now: Double, turn: SchedulerTurn? = nil) -> RunMachine.Work {
        m.beginTurn()
        while true {
            let work = m.next(now: now, turn: turn ?? .slice(until: now + 0.005), epochsUntilMetrics: 1_000_000)
            switch work {
            case .publishFrame: m.didPublishFrame(now: now)
            case .broadcastState: m.didBroadcastState(now: now)
            case .save: m.didSave(now: now)
            default: return work
            }
        }
    }

    @Test func playingAtMax_trainsEveryTurn_andPauseStopsBeforeTheNextUpdate() {
        var m = machine()
        #expect(training(&m, at: 1) == .trainUpdates(1), "the first update measures the rate")
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.0001, now: 1.0001)
        guard case .train(let n) = training(&m, at: 1.0001) else { Issue.record("no training"); return }
        #expect(n >= 1)
        m.didTrain(epochs: n, seconds: 0.001, now: 1.001)
        m.pause(now: 1.002)
        #expect(m.playState == .paused)
        let after = training(&m, at: 1.002)
        guard case .sleep = after else { Issue.record("trained after pause: \(after)"); return }
    }

    @Test func sliceTraining_fitsTheEpochsToTheSlice_fromTheMeasuredRate() {
        var m = machine()
        _ = training(&m, at: 0)
        m.didTrain(epochs: 10, seconds: 0.001, now: 0.001)  // 0.1 ms per epoch
        guard case .train(let n) = training(&m, at: 1, turn: .slice(until: 1.005)) else { Issue.record("no training"); return }
        #expect((49...50).contains(n), "5 ms at 0.1 ms per epoch: \(n)")
        m.didTrain(epochs: n, seconds: 0.005, now: 1.005)
        #expect(m.next(now: 1.005, turn: .slice(until: 1.005), epochsUntilMetrics: 1_000_000) == .yield, "slice over")
    }

    @Test func dueTurn_yieldsInsteadOfTrainingAnEpochThatDoesNotFit() {
        var m = machine()
        _ = training(&m, at: 0)
        m.didTrain(epochs: 1, seconds: 0.05, now: 0.05)  // 50 ms per epoch of 3 updates
        #expect(training(&m, at: 1, turn: .due(until: 1.001)) == .yield)
        #expect(training(&m, at: 1, turn: .slice(until: 1.005)) == .trainUpdates(1), "a slice takes at least one update")
    }

    @Test func pacedRun_trainsTheEpochsDueSinceItsLastTurn() {
        var m = machine(speed: .epochsPerSecond(100), kD: 1, kG: 1, now: 10)
        #expect(training(&m, at: 10.05) == .trainUpdates(1), "the first update measures the rate")
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.00005, now: 10.05)
        m.alignToTrainer(updatesTaken: 1)
        #expect(training(&m, at: 10.05) == .train(epochs: 4), "behind: the epoch under way, then the rest due by 10.05 s")
        m.didTrain(epochs: 4, seconds: 0.0005, now: 10.05)
        m.alignToTrainer(updatesTaken: 0)
        guard case .sleep = training(&m, at: 10.05) else { Issue.record("caught up: should sleep"); return }
        #expect(training(&m, at: 10.1) == .train(epochs: 5), "the epochs due by 10.1 s")
        m.didTrain(epochs: 5, seconds: 0.001, now: 10.1)
        guard case .sleep(let until?) = training(&m, at: 10.1) else { Issue.record("should sleep"); return }
        #expect(until > 10.1 && until <= 10.13, "next epoch due, at the pacing granularity: \(until)")
        #expect(training(&m, at: 10.2) == .train(epochs: 10))
    }

    /// A step whose count ran out mid-epoch ends when the epoch under way does, even when something other than
    /// training finishes it: `configure` finishes the trainer's epoch before a live change. The queue behind it
    /// must still run (it once waited for ever: the run stalled at that epoch under load, when steps split).
    @Test func aStepFinishedByALiveChange_letsTheNextStepRun() throws {
        var m = machine(playing: false, kD: 3, kG: 1)
        _ = try m.step(.epoch, count: 1, now: 0)
        #expect(training(&m, at: 0) == .trainUpdates(1), "the first update measures the rate")
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.001, now: 0)
        m.alignToTrainer(updatesTaken: 1)
        // configure: the trainer finishes its epoch, then k_D changes.
        m.alignToTrainer(updatesTaken: 0)
        m.settingsChanged(discriminatorSteps: 1, generatorSteps: 1, now: 0)
        _ = try m.step(.discriminator, count: 1, now: 0)
        #expect(training(&m, at: 0) == .update(.discriminator))
        m.didTrain(epochs: 1, seconds: 0.001, now: 0)
        #expect(m.outstandingSteps == 0)
    }

    @Test func steps_pauseTheRun_trainExactlyTheCount_andAreBounded() throws {
        var m = machine()
        #expect(try m.step(.epoch, count: 30, now: 0) == 30)
        #expect(m.playState == .paused)
        #expect(try m.step(.discriminator, count: 2, now: 0) == 32)
        #expect(training(&m, at: 0) == .trainUpdates(1), "the first update measures the rate")
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.00001, now: 0)
        m.alignToTrainer(updatesTaken: 1)
        #expect(m.outstandingSteps == 31)
        #expect(training(&m, at: 0, turn: .slice(until: 0.00001)) == .trainUpdates(1), "a tight slice: one update")
        m.didTrainUpdates(1, epochsStarted: 0, seconds: 0.00001, now: 0)
        #expect(training(&m, at: 0, turn: .slice(until: 0.00001)) == .trainUpdates(1))
        m.didTrainUpdates(1, epochsStarted: 0, seconds: 0.00001, now: 0)
        m.alignToTrainer(updatesTaken: 0)
        guard case .train(let n) = training(&m, at: 0, turn: .slice(until: 1)) else { Issue.record("no step"); return }
        #expect(n == 29, "the rest of the epoch steps, no more")
        m.didTrain(epochs: 29, seconds: 0.001, now: 0)
        #expect(training(&m, at: 0) == .update(.discriminator))
        m.didTrain(epochs: 1, seconds: 0.0001, now: 0)
        #expect(training(&m, at: 0) == .update(.discriminator))
        m.didTrain(epochs: 1, seconds: 0.0001, now: 0)
        #expect(m.outstandingSteps == 0)
        guard case .sleep = training(&m, at: 0) else { Issue.record("trained past the steps"); return }
        #expect(throws: LabProtocolError.self) { try m.step(.epoch, count: 101, now: 0) }
        try m.step(.epoch, count: 100, now: 0)
        do {
            try m.step(.generator, count: 1, now: 0)
            Issue.record("the 101st outstanding step was queued")
        } catch {
            #expect(error.code == "rate-limited")
        }
        #expect(m.outstandingSteps == 100, "nothing queued by the refused step")
        m.pause(now: 0)
        #expect(m.outstandingSteps == 0, "pause drops outstanding steps")
    }

    @Test func failedRun_refusesPlayAndStep_untilNetworksAreReplaced() throws {
        var m = machine()
        m.didFail("diverged at epoch 3", now: 1)
        #expect(m.playState == .failed && m.frameState == .failed)
        #expect(throws: LabProtocolError.runFailed("diverged at epoch 3")) { try m.play(now: 1) }
        #expect(throws: LabProtocolError.self) { try m.step(.epoch, count: 1, now: 1) }
        m.networksReplaced(discriminatorSteps: 2, generatorSteps: 1, now: 2)
        #expect(m.playState == .paused && m.failure == nil && m.generation == 2)
        try m.play(now: 2)
    }

    @Test func frames_followTheHighestRate_andComeAtOnceAfterAChange() {
        var m = machine(playing: false)
        #expect(m.next(now: 0, turn: .due(until: 0.001), epochsUntilMetrics: 10) != .publishFrame, "nobody watches: no frames")
        m.viewersChanged(count: 1, frameRate: 10, now: 0)
        m.didBroadcastState(now: 0)
        #expect(m.next(now: 0, turn: .due(until: 0.001), epochsUntilMetrics: 10) == .publishFrame)
        m.didPublishFrame(now: 0)
        guard case .sleep = m.next(now: 0.01, turn: .due(until: 0.011), epochsUntilMetrics: 10) else {
            Issue.record("nothing changed: no frame"); return
        }
        try? m.play(now: 0.02)
        m.didBroadcastState(now: 0.2)
        #expect(m.next(now: 0.2, turn: .due(until: 0.201), epochsUntilMetrics: 10) == .publishFrame, "after a command: at once")
        m.didPublishFrame(now: 0.2)
        m.didTrain(epochs: 1, seconds: 0.001, now: 0.21)
        #expect(m.next(now: 0.25, turn: .due(until: 0.25), epochsUntilMetrics: 10) != .publishFrame, "training waits for the frame interval")
        #expect(m.next(now: 0.301, turn: .due(until: 0.301), epochsUntilMetrics: 10) == .publishFrame)
    }

    @Test func manyEarlyFrames_doNotPushTheRegularCadenceAway() {
        var m = machine(playing: false)
        for i in 0..<500 {  // a class joining: a frame at once after each arrival
            let t = Double(i) * 0.001
            m.viewersChanged(count: i + 1, frameRate: 30, now: t)
            m.didBroadcastState(now: t)
            #expect(m.next(now: t, turn: .due(until: t), epochsUntilMetrics: 9) == .publishFrame)
            m.didPublishFrame(now: t)
        }
        m.didTrain(epochs: 1, seconds: 0.001, now: 0.51)  // an ordinary change: it waits for the cadence
        let due = 0.499 + 1.0 / 30 + 0.001
        #expect(m.next(now: due, turn: .due(until: due), epochsUntilMetrics: 9) == .publishFrame,
                "one interval after the last early frame, not 500 intervals")
    }

    @Test func stateBroadcasts_areCoalescedToTheInterval() {
        var m = machine(playing: false)
        m.viewersChanged(count: 1, frameRate: 30, now: 0)
        #expect(m.next(now: 0, turn: .due(until: 0), epochsUntilMetrics: 10) == .broadcastState)
        m.didBroadcastState(now: 0)
        m.setSpeed(.epochsPerSecond(5), now: 0.01)
        m.setSpeed(.epochsPerSecond(6), now: 0.02)
        m.didPublishFrame(now: 0.02)
        #expect(m.next(now: 0.05, turn: .due(until: 0.05), epochsUntilMetrics: 10) != .broadcastState)
        #expect(m.next(now: 0.1, turn: .due(until: 0.1), epochsUntilMetrics: 10) == .broadcastState)
    }

    @Test func autosave_comesOneIntervalAfterAChange_andEviction_afterTheIdleLifetime() {
        var c = LabConfiguration()
        c.autosaveInterval = 5
        c.idleRunLifetime = 60
        var m = RunMachine(playState: .paused, failure: nil, speed: .max, isSlowMotion: false, secondsPerStep: 1, generation: 1,
                           discriminatorSteps: 1, generatorSteps: 1, timing: RunMachine.Timing(c), now: 0)
        #expect(m.next(now: 4, turn: .due(until: 4), epochsUntilMetrics: 9) == .sleep(until: 60), "nothing unsaved: wake for eviction")
        m.setSpeed(.epochsPerSecond(10), now: 10)
        m.didBroadcastState(now: 10)
        #expect(m.next(now: 14.9, turn: .due(until: 14.9), epochsUntilMetrics: 9) == .sleep(until: 15))
        #expect(m.next(now: 15, turn: .due(until: 15), epochsUntilMetrics: 9) == .save)
        m.didSave(now: 15)
        #expect(m.next(now: 69.9, turn: .due(until: 69.9), epochsUntilMetrics: 9) == .sleep(until: 70))
        #expect(m.next(now: 70, turn: .due(until: 70), epochsUntilMetrics: 9) == .evict)
        m.viewersChanged(count: 1, frameRate: 30, now: 70)
        m.didBroadcastState(now: 70)
        m.didPublishFrame(now: 70)
        #expect(m.next(now: 1_000, turn: .due(until: 1_000), epochsUntilMetrics: 9) != .evict, "a watched run is never evicted")
    }

    @Test func aNewRun_isSavedAtOnce_thenAtMostOncePerInterval() {
        var c = LabConfiguration()
        c.autosaveInterval = 5
        var m = RunMachine(playState: .paused, failure: nil, speed: .max, isSlowMotion: false, secondsPerStep: 1, generation: 1,
                           discriminatorSteps: 1, generatorSteps: 1, timing: RunMachine.Timing(c), now: 0)
        m.didBroadcastState(now: 0)
        m.markNew(now: 0)
        #expect(m.next(now: 0, turn: .due(until: 0), epochsUntilMetrics: 9) == .save)
        m.didSave(now: 0)
        m.setSpeed(.epochsPerSecond(10), now: 1)
        m.didBroadcastState(now: 1)
        #expect(m.next(now: 5.9, turn: .due(until: 5.9), epochsUntilMetrics: 9) == .sleep(until: 6), "a change: an interval later")
        #expect(m.next(now: 6, turn: .due(until: 6), epochsUntilMetrics: 9) == .save)
        m.didSave(now: 6)
        m.markUnsaved(now: 6)  // the save failed: retried an interval later, not at once
        #expect(m.next(now: 10.9, turn: .due(until: 10.9), epochsUntilMetrics: 9) == .sleep(until: 11))
    }

    @Test func metricsRow_comesBeforeMoreTraining_andTrainingStopsAtItsEpoch() {
        var m = machine()
        _ = training(&m, at: 0)
        m.didTrain(epochs: 1, seconds: 0.00001, now: 0)
        m.alignToTrainer(updatesTaken: 0)
        #expect(m.next(now: 1, turn: .slice(until: 1.005), epochsUntilMetrics: 0) == .recordMetrics)
        #expect(m.next(now: 1, turn: .slice(until: 1.005), epochsUntilMetrics: 7) == .train(epochs: 7))
    }

    @Test func slowMotion_showsTheTenSubStepsSecondsApart_repeatingTheDPhaseForEachDUpdate() {
        var m = machine(kD: 2, kG: 1)
        m.viewersChanged(count: 1, frameRate: 30, now: 0)
        m.setSlowMotion(true, secondsPerStep: 1, now: 0)
        var shown: [Int] = []
        var now = 0.0
        for _ in 0..<15 {
            let work = training(&m, at: now)
            guard case .subStep(let step) = work else { Issue.record("expected a sub-step at \(now): \(work)"); return }
            m.didSubStep(step, seconds: 0, now: now)
            #expect(m.shownSubStep == step.rawValue)
            #expect(m.next(now: now, turn: .due(until: now), epochsUntilMetrics: 9) == .publishFrame, "a frame per sub-step")
            m.didPublishFrame(now: now)
            shown.append(step.rawValue)
            if case .subStep = training(&m, at: now + 0.5) { Issue.record("sub-steps less than secondsPerStep apart") }
            now += 1
        }
        #expect(shown == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(m.frameState == .slowMotion)
        m.pause(now: now)
        guard case .sleep = training(&m, at: now + 5) else { Issue.record("a paused slow-motion run moved"); return }
    }

    // MARK: keeping the pace, splitting heavy epochs

    /// Drives `m` as the scheduler and a run would, on a made-up clock: each update takes `secondsPerUpdate`, a due
    /// turn lasts 1 ms and a slice 5 ms (the lab's defaults), nothing else competes. Returns the epochs started.
    private func simulate(_ m: inout RunMachine, from start: Double, to end: Double, updatesPerEpoch u: Int,
                          secondsPerUpdate: Double) -> (epochs: Int, trainings: Int) {
        var now = start, position = 0, epochs = 0, trainings = 0
        var turn = SchedulerTurn.due(until: now + 0.001)
        m.beginTurn()
        while now < end {
            m.alignToTrainer(updatesTaken: position)
            switch m.next(now: now, turn: turn, epochsUntilMetrics: 1_000_000) {
            case .publishFrame: m.didPublishFrame(now: now)
            case .broadcastState: m.didBroadcastState(now: now)
            case .save: m.didSave(now: now)
            case .train(let n):
                let updates = (position > 0 ? u - position : 0) + n * u
                now += Double(updates) * secondsPerUpdate
                m.didTrain(epochs: n, seconds: Double(updates) * secondsPerUpdate, now: now)
                epochs += n
                trainings += 1
                position = 0
            case .trainUpdates(let k):
                let started = (0..<k).filter { (position + $0) % u == 0 }.count
                now += Double(k) * secondsPerUpdate
                m.didTrainUpdates(k, epochsStarted: started, seconds: Double(k) * secondsPerUpdate, now: now)
                epochs += started
                trainings += 1
                position = (position + k) % u
            case .yield:
                turn = .slice(until: now + 0.005)
                m.beginTurn()
            case .sleep(let until):
                now = max(now + 1e-6, until ?? end)
                turn = .due(until: now + 0.001)
                m.beginTurn()
            default:
                Issue.record("unexpected work")
                return (epochs, trainings)
            }
        }
        return (epochs, trainings)
    }

    @Test func pacedRun_whoseEpochTakes3ms_keepsItsPaceOf100() {
        // The lab profile's networks cost ~1.5–3 ms an epoch: waiting 20 ms after every 5 ms slice held such a run
        // at ~45 epochs/s. A run that is behind trains on in slices instead.
        var m = machine(speed: .epochsPerSecond(100), kD: 1, kG: 1, now: 0)
        let epochs = simulate(&m, from: 0, to: 10, updatesPerEpoch: 2, secondsPerUpdate: 0.0015).epochs
        #expect((990...1_001).contains(epochs), "10 s at 100 epochs/s: \(epochs)")
    }

    @Test func pacedRun_thatKeepsUp_wakesAtTheGranularity() {
        var m = machine(speed: .epochsPerSecond(100), kD: 1, kG: 1, now: 0)
        let (epochs, trainings) = simulate(&m, from: 0, to: 1, updatesPerEpoch: 2, secondsPerUpdate: 0.00002)
        #expect((99...101).contains(epochs))
        #expect(trainings <= 55, "a run that keeps up trains two epochs per 20 ms wake-up, not one: \(trainings) trainings")
    }

    /// A heavy epoch is trained update by update, one slice each; a pause inside it finishes that epoch (the same
    /// way) and then rests, so a D or G step after a pause trains only its network.
    @Test func heavyEpoch_isSplitIntoUpdates_andPauseEndsItFirst() throws {
        var m = machine(kD: 2, kG: 1)
        m.alignToTrainer(updatesTaken: 0)
        #expect(training(&m, at: 0) == .trainUpdates(1))
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.04, now: 0.04)  // 40 ms per update
        m.alignToTrainer(updatesTaken: 1)
        #expect(m.next(now: 0.04, turn: .slice(until: 0.005), epochsUntilMetrics: 9) == .yield, "slice over after one update")
        m.pause(now: 0.05)
        #expect(training(&m, at: 0.05) == .trainUpdates(1), "paused inside the epoch: its next update, one slice")
        m.didTrainUpdates(1, epochsStarted: 0, seconds: 0.04, now: 0.09)
        m.alignToTrainer(updatesTaken: 2)
        #expect(m.next(now: 0.09, turn: .slice(until: 0.06), epochsUntilMetrics: 9) == .yield, "and its last in the next")
        #expect(training(&m, at: 0.1) == .trainUpdates(1))
        m.didTrainUpdates(1, epochsStarted: 0, seconds: 0.04, now: 0.14)
        m.alignToTrainer(updatesTaken: 0)
        guard case .sleep = training(&m, at: 0.15) else { Issue.record("trained past the epoch boundary after pause"); return }
        #expect(m.playState == .paused && m.updatesTakenInEpoch == 0)
        _ = try m.step(.discriminator, count: 1, now: 0.2)
        #expect(training(&m, at: 0.2) == .update(.discriminator), "a D step from the boundary")
    }

    @Test func stepOfOneHeavyEpoch_endsAtTheEpochBoundary() throws {
        var m = machine(kD: 2, kG: 1)
        try m.step(.epoch, count: 1, now: 0)
        #expect(training(&m, at: 0) == .trainUpdates(1))
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.04, now: 0.04)
        #expect(m.outstandingSteps == 0 && !m.steps.isEmpty, "the epoch is counted, but two updates are left")
        #expect(training(&m, at: 0.04, turn: .slice(until: 0.2)) == .trainUpdates(2), "the rest of that epoch, no more")
        m.didTrainUpdates(2, epochsStarted: 0, seconds: 0.08, now: 0.12)
        #expect(m.steps.isEmpty)
        guard case .sleep = training(&m, at: 0.12) else { Issue.record("trained past the step"); return }
    }

    @Test func metricsRow_waitsForTheEpochUnderWay() {
        var m = machine(kD: 1, kG: 1)
        m.alignToTrainer(updatesTaken: 0)
        _ = training(&m, at: 0)
        m.didTrainUpdates(1, epochsStarted: 1, seconds: 0.00001, now: 0)
        // The driver passes 1 for "the row is due at the end of the epoch under way".
        #expect(m.next(now: 0, turn: .slice(until: 1), epochsUntilMetrics: 1) == .trainUpdates(1))
    }
}
