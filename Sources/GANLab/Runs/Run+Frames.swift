import GANEngine

/// What a run sends: frames (computed once, encoded once per distinct layer set), `state`, `data`, `history`,
/// and the metric rows it records whether or not anyone watches.
extension Run {
    /// The views now, reusing the last computation when nothing trained since.
    func snapshot() -> ViewSnapshot {
        if let last = lastSnapshot, last.epoch == trainer.epoch, last.generation == machine.generation {
            return last.snapshot
        }
        let s = views.update(from: trainer)
        lastSnapshot = (trainer.epoch, machine.generation, s)
        return s
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
        let s = snapshot()
        frameSequence &+= 1
        let header = FrameHeader(epoch: trainer.epoch, time: environment.wallClock().timeIntervalSince1970 * 1000,
                                 sequence: frameSequence, generation: UInt32(truncatingIfNeeded: machine.generation),
                                 viewers: UInt32(subscribers.count), epochsPerSecond: Float(machine.rate.rate(now: now)),
                                 state: machine.frameState, subStep: UInt8(machine.shownSubStep))
        var predicted: FrameEncoder.Predictions?
        if groups.keys.contains(where: { $0.contains(.predictions) }) {
            predicted = predictions.compute(trainer: trainer, fakes: s.fakes, real: shownReal)
        }
        for (layers, peers) in groups {
            let frame = FrameEncoder.encode(header: header, snapshot: s, layers: layers, predictions: predicted)
            environment.fanOut.send(frame: frame, to: peers)
        }
    }

    /// Records a metrics row at the current epoch.
    func recordMetrics(now: Double) {
        let m = snapshot().metrics
        let row = MetricsRow(epoch: trainer.epoch, discriminatorLoss: m.discriminatorLoss, generatorLoss: m.generatorLoss,
                             generatorGradientNorm: m.generatorGradientNorm, klRealFake: Float(m.divergence.klRealFake),
                             klFakeReal: Float(m.divergence.klFakeReal), js: Float(m.divergence.js),
                             jsFloor: Float(m.divergenceFloor.js), modesMissed: m.modeCoverage.map { Float($0.missedModes) } ?? .nan)
        history.record(row, now: now)
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
        dataMessage = nil
        historyMessage = nil
        lastSnapshot = nil
    }

    /// The `data` message (cached: the same text for every joining connection).
    func dataText() -> String {
        if let dataMessage { return dataMessage }
        let configuration = trainer.configuration
        let text = ServerMessages.data(generation: machine.generation, data: data, real: shownReal,
                                       modes: trainer.distribution.modes, noise: configuration.noise,
                                       shownNoise: Self.shownNoise(configuration)).text
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

    /// The first two coordinates of the fixed noise behind the shown fakes: the views draw it first from
    /// `seed ^ viewSeedSalt` (ViewComputer's documented order); redrawn here until the engine exposes it.
    static func shownNoise(_ c: GANConfiguration) -> [Float] {
        var random = RandomSource(seed: c.seed ^ ViewComputer.viewSeedSalt)
        let count = max(c.views.metricSampleCount, c.views.fakeSampleCount)
        let d = c.noiseDimension
        var noise = [Float](repeating: 0, count: count * d)
        noise.withUnsafeMutableBufferPointer { c.noise.sample(count: count, into: $0.baseAddress!, using: &random) }
        var shown: [Float] = []
        shown.reserveCapacity(2 * c.views.fakeSampleCount)
        for i in 0..<c.views.fakeSampleCount {
            for j in 0..<min(2, d) { shown.append(noise[i * d + j]) }
        }
        return shown
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
