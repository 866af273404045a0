/// The work loop of `RunMachine`: what to do next, how much training fits in a turn, and the driver's reports.
///
/// Training is planned in network updates, not epochs: an epoch is k_D + k_G updates (`updatesPerEpoch`), and
/// the time a turn has left buys `remaining / secondsPerUpdate` of them. When at least one whole epoch fits, the
/// run trains whole epochs (`Trainer.train(epochs:)`, the fast path); when not, it takes single updates
/// (`Trainer.stepWithinEpoch()`), so one heavy epoch never holds a worker past its slice by more than one update.
/// A pause takes effect at the end of the epoch under way, trained the same way. A slice trains at least one
/// update (so every run moves); a due turn trains only what fits, else yields to the round-robin.
extension RunMachine {
    /// What to do now. `epochsUntilMetrics` caps training so the driver can record a metrics row at exactly the
    /// epoch it wants: epochs still to finish before the row, the epoch under way counting as one (0 means:
    /// record first; the driver never passes 0 while an epoch is under way).
    public mutating func next(now: Double, turn: Turn, epochsUntilMetrics: Int) -> Work {
        if isStateStale && now >= lastStateAt + timing.stateInterval { return .broadcastState }
        if frameRate != nil && isFrameStale && (isFrameUrgent || now >= nextFrameAt) { return .publishFrame }
        if epochsUntilMetrics <= 0 { return .recordMetrics }
        if viewerCount == 0 && now >= lastActivityAt + timing.idleLifetime { return .evict }
        if let saveDueAt, now >= saveDueAt { return .save }

        if let training = trainingWork(now: now, turn: turn, metricsCap: epochsUntilMetrics) { return training }
        return .sleep(until: wakeTime(now: now))
    }

    /// A new turn starts (the driver calls this first in every turn).
    public mutating func beginTurn() { hasTrainedInTurn = false }

    /// Updates in one epoch (an empty epoch, k_D = k_G = 0, counts as one).
    var updatesPerEpoch: Int { max(1, discriminatorSteps + generatorSteps) }

    /// Updates needed to finish the epoch under way and then `epochs` more.
    func updates(finishingAndThen epochs: Int) -> Int {
        let finishing = updatesTakenInEpoch > 0 ? updatesPerEpoch - updatesTakenInEpoch : 0
        let (product, overflow) = epochs.multipliedReportingOverflow(by: updatesPerEpoch)
        return overflow ? Int.max / 2 : finishing + product
    }

    private mutating func trainingWork(now: Double, turn: Turn, metricsCap: Int) -> Work? {
        // The metrics row comes at an epoch boundary: the epoch under way is one of the epochs until it.
        let metricsUpdates = updates(finishingAndThen: updatesTakenInEpoch > 0 ? metricsCap - 1 : metricsCap)
        dropFinishedStep()  // a live change may have finished the epoch that was ending it
        if let first = steps.first {
            guard first.kind == .epoch else { return fits(1, turn: turn, now: now) == nil ? .yield : .update(first.kind) }
            return plan(min(updates(finishingAndThen: first.count), metricsUpdates), turn: turn, now: now)
        }
        guard playState == .playing else {
            // A paused run comes to rest at an epoch boundary (slow motion excepted: its sub-steps are the point),
            // so a D or G step after a pause trains only that network. Still update by update, slice by slice.
            guard playState == .paused, !isSlowMotion, updatesTakenInEpoch > 0 else { return nil }
            return plan(updates(finishingAndThen: 0), turn: turn, now: now)
        }
        if isSlowMotion {
            guard now >= nextSubStepAt else { return nil }
            if discriminatorSteps == 0 && generatorSteps == 0 { return .train(epochs: 1) }
            return .subStep(slowMotionPosition.next)
        }
        switch speed {
        case .max:
            return plan(metricsUpdates, turn: turn, now: now)
        case .epochsPerSecond(let r):
            // A run that keeps up wakes at the granularity; one that is behind trains on at once.
            let isWaiting = now < lastPacedTrainingAt + timing.pacingGranularity && r * timing.pacingGranularity >= 1
            guard isPaceBehind || !isWaiting else { return nil }
            let owed = pace!.dueEpochs(now: now, limit: max(1, Int(r * 0.25)))
            let wanted = updates(finishingAndThen: owed)
            guard wanted > 0 else { isPaceBehind = false; return nil }
            return plan(min(wanted, metricsUpdates), turn: turn, now: now)
        }
    }

    /// How many updates fit in what is left of the turn, at most `wanted`; nil when none does (yield). A slice's
    /// first training takes one update even when it does not fit, so a heavy run still moves.
    private func fits(_ wanted: Int, turn: Turn, now: Double) -> Int? {
        let remaining = turn.end - now
        guard let perUpdate = secondsPerUpdate else {
            // Not measured yet: one update measures it.
            return remaining > 0 || !hasTrainedInTurn ? 1 : nil
        }
        var n = remaining > 0 ? Int(min(remaining / max(perUpdate, 1e-9), 1e9)) : 0
        if n == 0, case .slice = turn, !hasTrainedInTurn { n = 1 }
        return n == 0 ? nil : min(n, wanted)
    }

    /// Whole epochs when at least one fits (after finishing the epoch under way), single updates otherwise.
    private func plan(_ wanted: Int, turn: Turn, now: Double) -> Work? {
        guard wanted > 0 else { return nil }
        guard let n = fits(wanted, turn: turn, now: now) else { return .yield }
        let finishing = updatesTakenInEpoch > 0 ? updatesPerEpoch - updatesTakenInEpoch : 0
        let epochs = (n - finishing) / updatesPerEpoch
        return epochs >= 1 ? .train(epochs: min(epochs, 100_000)) : .trainUpdates(n)
    }

    /// When the run next has due work (frames, state, saves, paced epochs, sub-steps), nil if none.
    public func wakeTime(now: Double) -> Double? {
        var times: [Double] = []
        if isStateStale { times.append(lastStateAt + timing.stateInterval) }
        if frameRate != nil && isFrameStale { times.append(nextFrameAt) }
        if viewerCount == 0 { times.append(lastActivityAt + timing.idleLifetime) }
        if let saveDueAt { times.append(saveDueAt) }
        if playState == .playing && steps.isEmpty {
            if isSlowMotion {
                times.append(nextSubStepAt)
            } else if let pace {
                times.append(isPaceBehind ? now : max(pace.nextEpochTime, lastPacedTrainingAt + timing.pacingGranularity))
            }
        }
        return times.min().map { max($0, now) }
    }

    // MARK: reports from the driver

    /// `count` whole epochs (`.train`) or one single-network step (`.update`) were trained in `seconds`; the
    /// epoch under way, if any, was finished first.
    public mutating func didTrain(epochs count: Int, seconds: Double, now: Double) {
        let isSingleStep = steps.first.map { $0.kind != .epoch } ?? false
        let updates = isSingleStep ? updates(finishingAndThen: 0) + 1 : updates(finishingAndThen: count)
        trained(updates: updates, epochsStarted: count, seconds: seconds, now: now)
        updatesTakenInEpoch = 0
        finishTraining(now: now)
    }

    /// `count` single updates (`.trainUpdates`) were taken in `seconds`, starting `epochsStarted` epochs; the
    /// trainer is now `updatesTakenInEpoch` updates into its epoch.
    public mutating func didTrainUpdates(_ count: Int, epochsStarted: Int, seconds: Double, now: Double) {
        trained(updates: count, epochsStarted: epochsStarted, seconds: seconds, now: now)
        updatesTakenInEpoch = (updatesTakenInEpoch + count) % updatesPerEpoch
        finishTraining(now: now)
    }

    private mutating func trained(updates: Int, epochsStarted: Int, seconds: Double, now: Double) {
        hasTrainedInTurn = true
        rate.add(epochsStarted, now: now)
        if updates > 0, seconds > 0 {
            let sample = seconds / Double(updates)
            secondsPerUpdate = secondsPerUpdate.map { 0.7 * $0 + 0.3 * sample } ?? sample
        }
        if let first = steps.first {
            // A step of n epochs advances the epoch counter by n and ends at an epoch boundary: once the count is
            // reached, the epoch under way is finished before the step is done.
            let done = first.kind == .epoch ? epochsStarted : 1
            steps[0].count = max(0, first.count - done)
        } else if playState == .playing && isSlowMotion {
            // k_D = k_G = 0: a slow-motion epoch is one (empty) epoch per sub-step interval.
            nextSubStepAt = now + secondsPerStep
            isFrameUrgent = true
        } else if playState == .playing {
            pace?.didTrain(epochsStarted)
        }
    }

    private mutating func finishTraining(now: Double) {
        if !dropFinishedStep(), steps.isEmpty, playState == .playing, !isSlowMotion, let pace {
            lastPacedTrainingAt = now
            isPaceBehind = pace.owedEpochs(now: now) > 0 || updatesTakenInEpoch > 0
        }
        shownSubStep = 0
        changed(now: now, shown: true, state: false)
    }

    /// Removes the step at the head of the queue when it is done: its count reached and, for epochs, the epoch
    /// under way finished (by training, or by a live change that finishes it first). True when one was removed.
    @discardableResult
    private mutating func dropFinishedStep() -> Bool {
        guard let first = steps.first, first.count == 0, first.kind != .epoch || updatesTakenInEpoch == 0 else { return false }
        steps.removeFirst()
        if steps.isEmpty { isFrameUrgent = true }
        return true
    }

    /// Remembers where the trainer is in its epoch (`updatesTaken` of its k_D + k_G updates done), and puts the
    /// slow-motion position there unless it is already inside that update's sub-steps: the trainer decides which
    /// update is next, so a restored, toggled or reconfigured run shows the right phase. Called before `next`.
    public mutating func alignToTrainer(updatesTaken: Int) {
        updatesTakenInEpoch = updatesTaken
        let kD = discriminatorSteps, p = slowMotionPosition
        let current = p.next.isDiscriminatorPhase ? p.update : kD + p.update
        guard current != updatesTaken else { return }
        slowMotionPosition = updatesTaken < kD
            ? SlowMotionPosition(next: .discriminatorGenerate, update: updatesTaken)
            : SlowMotionPosition(next: .generatorGenerate, update: updatesTaken - kD)
    }

    /// A slow-motion sub-step was performed (its update, if any, trained): a frame follows at once.
    public mutating func didSubStep(_ step: SlowMotionStep, seconds: Double, now: Double) {
        let isUpdate = step == .discriminatorUpdate || step == .generatorUpdate
        if isUpdate { rate.add(1, now: now) }
        shownSubStep = step.rawValue
        slowMotionPosition = slowMotionPosition.advanced(discriminatorSteps: discriminatorSteps, generatorSteps: generatorSteps).position
        nextSubStepAt = now + secondsPerStep
        changed(now: now, shown: true, state: false)
        isFrameUrgent = true
    }
}
