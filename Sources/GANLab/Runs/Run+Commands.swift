import GANEngine

/// What each command does to a run (docs/protocol.md §2.3). Each validates everything before it changes
/// anything, and returns the fields its `ack` carries.
extension Run {
    /// Applies a command that the sender's role allows; throws the error to reply with (nothing changed then).
    func apply(_ command: Command, from peer: RunPeer, now: Double) throws(LabProtocolError) -> JSONObject {
        switch command {
        case .auth:
            return ["role": .string(subscribers[ObjectIdentifier(peer)]?.role.rawValue ?? RunRole.viewer.rawValue)]
        case .subscribe(let fps, let layers):
            guard var s = subscribers[ObjectIdentifier(peer)] else { return [:] }
            s.framesPerSecond = fps
            s.layers = layers
            s.credit = 1
            subscribers[ObjectIdentifier(peer)] = s
            viewersChanged(now: now)
            return ["fps": .int(fps), "layers": .array(layers.names.map(JSON.string))]
        case .play:
            try machine.play(now: now)
            return ["state": .string(machine.playState.rawValue)]
        case .pause:
            machine.pause(now: now)
            return ["state": .string(machine.playState.rawValue), "epoch": .int(trainer.epoch)]
        case .step(let kind, let count):
            let queued = try machine.step(kind, count: count, now: now)
            return ["queued": .int(queued)]
        case .reset:
            try replaceTrainer(configuration: trainer.configuration, distribution: trainer.distribution, now: now)
            return ["generation": .int(machine.generation)]
        case .configure(let changes):
            var next = trainer.configuration
            let changed: [String]
            do { changed = try next.apply(changes) } catch { throw LabProtocolError(error) }
            // The run's share of the memory budget follows the new settings, and goes back if they cannot apply.
            let previousBytes = try environment.registry?.resize(code, to: next)
            do {
                return try configure(next, changes: changes, changed: changed, now: now)
            } catch {
                if let previousBytes { environment.registry?.restoreFootprint(code, bytes: previousBytes) }
                throw error
            }
        case .data(let newData, let choice):
            let distribution = try newData.makeDistribution()
            var next = trainer.configuration
            var profile = defaults
            if case .profile(let p) = choice, newData.preset != nil {
                next = p.configuration(for: newData, seed: trainer.configuration.seed)
                profile = p
            }
            let before = trainer.configuration.settingValues, after = next.settingValues
            let changed = GANConfiguration.settings.map(\.key).filter { before[$0] != after[$0] }
            let previous = data
            // A profile may change the networks: the budget follows, as for `configure`.
            let previousBytes = next == trainer.configuration ? nil : try environment.registry?.resize(code, to: next)
            data = newData
            do {
                try replaceTrainer(configuration: next, distribution: distribution, now: now)
            } catch {
                data = previous
                if let previousBytes { environment.registry?.restoreFootprint(code, bytes: previousBytes) }
                throw error
            }
            defaults = profile
            return ["generation": .int(machine.generation), "changed": .array(changed.map(JSON.string))]
        case .seed(let seed):
            var next = trainer.configuration
            next.seed = seed
            try replaceTrainer(configuration: next, distribution: trainer.distribution, now: now)
            return ["generation": .int(machine.generation), "seed": .number(Double(seed))]
        case .speed(let speed):
            machine.setSpeed(speed, now: now)
            return ["speed": ServerMessages.speed(speed)]
        case .slowMotion(let isOn, let secondsPerStep):
            machine.setSlowMotion(isOn, secondsPerStep: secondsPerStep, now: now)
            return ["slowmo": .bool(isOn), "secondsPerStep": .number(secondsPerStep)]
        case .fork:
            guard let registry = environment.registry else { throw .unavailable("Forking is not available.") }
            let (run, token) = try registry.fork(record(), from: self)
            return ["code": .string(run.code.text), "token": .string(token.text), "url": .string("/r/\(run.code.text)")]
        }
    }

    /// Applies settings already validated into `next`: new networks when the structure changed, else a live change
    /// that keeps the weights.
    private func configure(_ next: GANConfiguration, changes: [String: SettingValue], changed: [String], now: Double)
        throws(LabProtocolError) -> JSONObject {
        let rebuilt = next.structure != trainer.configuration.structure
        if rebuilt {
            try replaceTrainer(configuration: next, distribution: trainer.distribution, now: now)
        } else {
            endReplay()
            // A live change applies from the next epoch, as in a replay: a slow-motion epoch under way ends first.
            do { try trainer.finishEpoch() } catch { machine.didFail(error.description, now: now) }
            // The same path a share link's replay takes (RunReplay.apply), so both stay one.
            do { try RunReplay.apply(changes, to: trainer) } catch {
                throw .unavailable("The change could not be applied: \(error)")
            }
            let values = next.settingValues
            edits.record(.configure(Dictionary(uniqueKeysWithValues: changed.map { ($0, values[$0]!) })), at: trainer.epoch)
            machine.settingsChanged(discriminatorSteps: next.discriminatorSteps, generatorSteps: next.generatorSteps, now: now)
            snapshotKey = nil
            dataMessage = nil  // the shown noise follows views.fakeSampleCount
            pendingResend.data = true
        }
        return ["changed": .array(changed.map(JSON.string)), "rebuilt": .bool(rebuilt), "generation": .int(machine.generation)]
    }

    /// New networks (and perhaps data): a new trainer from `configuration`, epoch 0, a new generation, a fresh
    /// history, and `data` + `history` sent again.
    func replaceTrainer(configuration: GANConfiguration, distribution: any RealDistribution, now: Double) throws(LabProtocolError) {
        let fresh = try Self.makeTrainer(configuration, distribution)
        trainer = fresh
        edits.restart(from: configuration)
        replay = nil
        views = ViewComputer(trainer: fresh)
        history.clear()
        machine.networksReplaced(discriminatorSteps: configuration.discriminatorSteps,
                                 generatorSteps: configuration.generatorSteps, now: now)
        dataChanged()
        pendingResend = (true, true)
    }
}
