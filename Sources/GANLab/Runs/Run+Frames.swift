import GANEngine

/// What a run sends: frames (computed once, encoded once per distinct layer set), `state`, `data`, `history`,
/// and the metric rows it records whether or not anyone watches.
extension Run {
    /// The views now, reusing the last computation when nothing changed since. Callers drop the value before
    /// the next update, so the engine writes into its own buffers without copying them.
    func snapshot() -> ViewSnapshot {
        let key = (epoch: trainer.epoch, updates: trainer.updatesTakenInEpoch, generation: machine.generation)
        if let last = snapshotKey, last == key { return views.snapshot }
        snapshotKey = key
        return views.update(from: trainer)
    }

    /// Computes the frame and hands it to the subscribers whose rate wants one (all of them after a change).
    func publishFrame(now: Double) {
        let isForEveryone = machine.isFrameUrgent
        defer { machine.didPublishFrame(now: now) }
        guard let maxRate = machine.frameRate, !subscribers.isEmpty else { return }
        // Who gets this frame: each subscriber earns fps / maxRate of a frame per regular frame computed.
        var groups: [FrameLayers: [RunPeer]] = [:]
        for (id, var s) in subscribers {
            s.credit = min(1, s.credit + Double(s.framesPerSecond) / Double(maxRate))
            if isForEveryone || s.credit >= 0.999 {
                s.credit = max(0, s.credit - 1)
                groups[s.layers, default: []].append(s.peer)
            }
            subscribers[id] = s
        }
        guard !groups.isEmpty else { return }
        publishStatus()  // a reader who saw this frame finds at least its epoch in the status
        let s = snapshot()
        frameSequence &+= 1
        let header = FrameHeader(epoch: trainer.epoch, time: environment.wallClock().timeIntervalSince1970 * 1000,
                                 sequence: frameSequence, generation: UInt32(truncatingIfNeeded: machine.generation),
                                 viewers: UInt32(subscribers.count), epochsPerSecond: Float(machine.rate.rate(now: now)),
                                 state: machine.frameState, subStep: UInt8(machine.shownSubStep))
        for (layers, peers) in groups {
            let frame = FrameEncoder.encode(header: header, snapshot: s, layers: layers)
            environment.fanOut.send(frame: frame, to: peers)
        }
    }

    /// Records a metrics row at the current epoch.
    func recordMetrics(now: Double) {
        let m = snapshot().metrics
        let cost = environment.clock.now() - now
        let row = MetricsRow(epoch: trainer.epoch, discriminatorLoss: m.discriminatorLoss, generatorLoss: m.generatorLoss,
                             generatorGradientNorm: m.generatorGradientNorm, klRealFake: Float(m.divergence.klRealFake),
                             klFakeReal: Float(m.divergence.klFakeReal), js: Float(m.divergence.js),
                             jsFloor: Float(m.divergenceFloor.js), modesMissed: m.modeCoverage.map { Float($0.missedModes) } ?? .nan,
                             klRealFakeFloor: Float(m.divergenceFloor.klRealFake), klFakeRealFloor: Float(m.divergenceFloor.klFakeReal))
        history.record(row, now: now + cost, cost: cost)
        historyMessage = nil
    }

    /// Sends `state` to every subscriber (each with its own role).
    func broadcastState(now: Double) {
        machine.didBroadcastState(now: now)
        guard !subscribers.isEmpty else { return }
        publishStatus()
        let status = self.status
        let viewerText = ServerMessages.state(status, role: .viewer).text
        var controllerText: String?
        for s in subscribers.values {
            if s.role == .controller {
                if controllerText == nil { controllerText = ServerMessages.state(status, role: .controller).text }
                s.peer.send(text: controllerText!)
            } else {
                s.peer.send(text: viewerText)
            }
        }
    }

    /// The data or the generation changed: new real samples for display, and `data` and `history` to resend.
    func dataChanged() {
        let c = environment.configuration
        // A stream of its own, so showing samples never changes training.
        var random = RandomSource(seed: trainer.configuration.seed ^ 0x5245_414C_5348_4F57)  // "REALSHOW"
        shownReal = trainer.distribution.samples(count: c.shownRealSampleCount, using: &random)
        views.realPoints = shownReal  // D's predictions at them, for the `predictions` layer
        dataMessage = nil
        historyMessage = nil
        snapshotKey = nil
    }

    /// The `data` message (cached: the same text for every joining connection).
    func dataText() -> String {
        if let dataMessage { return dataMessage }
        let configuration = trainer.configuration
        let text = ServerMessages.data(generation: machine.generation, data: data, real: shownReal,
                                       modes: trainer.distribution.modes, noise: configuration.noise,
                                       shownNoise: ViewComputer.shownNoise(for: configuration)).text
        dataMessage = text
        return text
    }

    /// The `history` message (cached until the next row).
    func historyText() -> String {
        if let historyMessage { return historyMessage }
        let text = ServerMessages.history(generation: machine.generation,
                                          rows: history.decimated(to: environment.configuration.historyMessageRows)).text
        historyMessage = text
        return text
    }

    /// Sends the `data` and `history` messages that commands marked as changed (after their `ack`).
    func flushResends() {
        defer { pendingResend = (false, false) }
        guard !subscribers.isEmpty, pendingResend.data || pendingResend.history else { return }
        let dataText = pendingResend.data ? dataText() : nil, historyText = pendingResend.history ? historyText() : nil
        for s in subscribers.values {
            if let dataText { s.peer.send(text: dataText) }
            if let historyText { s.peer.send(text: historyText) }
        }
    }
}
