import WebServer

/// The inbox: joins and leaves, authentication, commands, record requests, deletion.
extension Run {
    /// Handles one message from the inbox.
    func handle(_ message: RunMessage, now: Double) {
        switch message {
        case .join(let peer): join(peer, now: now)
        case .leave(let peer): leave(peer, now: now)
        case .authenticated(let peer, let id):
            guard var s = subscribers[ObjectIdentifier(peer)] else { return }
            s.role = .controller
            subscribers[ObjectIdentifier(peer)] = s
            machine.touched(now: now)
            peer.send(text: ServerMessages.ack(id: id, command: "auth", ["role": "controller"]).text)
            publishStatus()
            peer.send(text: ServerMessages.state(status, role: .controller).text)
        case .command(let peer, let decoded):
            machine.touched(now: now)
            let reply: JSON
            do {
                reply = ServerMessages.ack(id: decoded.id, command: decoded.name, try apply(decoded.command, from: peer, now: now))
            } catch {
                reply = error.reply(id: decoded.id, command: decoded.name)
            }
            // Published first, so an HTTP read after the ack sees the change; the ack goes out before the data,
            // frame and state that show it.
            publishStatus()
            peer.send(text: reply.text)
            flushResends()
        case .record(let deliver):
            deliver(record())
        case .saveFailed:
            machine.markUnsaved(now: now)
        case .evict(let reply):
            guard !isClosed else { return reply(false) }  // deleted earlier in this batch
            if let earlier = evictionRequest { earlier(false) }
            evictionRequest = reply
        case .delete:
            for s in subscribers.values { s.peer.close(code: WebSocketCloseCode(4000), reason: "run deleted") }
            subscribers.removeAll()
            isClosed = true
            if let reply = evictionRequest { evictionRequest = nil; reply(false) }
            for leftover in inbox.close() {
                if case .join(let peer) = leftover { peer.close(code: WebSocketCloseCode(4000), reason: "run deleted") }
                if case .record(let deliver) = leftover { deliver(record()) }
                if case .evict(let reply) = leftover { reply(false) }
            }
            // Closed: no save of this run can follow, so its saved copy may go now (RunRegistry.delete says why).
            environment.saver.removeDeleted(code)
        }
    }

    private func join(_ peer: RunPeer, now: Double) {
        let c = environment.configuration
        guard subscribers.count < c.maxViewersPerRun else {
            let error = LabProtocolError.busy("This run already has \(c.maxViewersPerRun) viewers, the most it may have.")
            peer.send(text: error.reply(id: nil, command: nil).text)
            peer.close(code: WebSocketCloseCode(4029), reason: "too many viewers")
            return
        }
        subscribers[ObjectIdentifier(peer)] = Subscriber(peer: peer, role: .viewer, framesPerSecond: c.defaultFramesPerSecond,
                                                         layers: .defaultLayers)
        viewersChanged(now: now)
        publishStatus()
        peer.send(text: ServerMessages.hello(code: code, template: environment.helloTemplate).text)
        peer.send(text: ServerMessages.state(status, role: .viewer).text)
        peer.send(text: dataText())
        peer.send(text: historyText())
    }

    private func leave(_ peer: RunPeer, now: Double) {
        guard subscribers.removeValue(forKey: ObjectIdentifier(peer)) != nil else { return }
        viewersChanged(now: now)
    }

    /// Tells the machine how many watch and at what highest rate.
    func viewersChanged(now: Double) {
        machine.viewersChanged(count: subscribers.count, frameRate: subscribers.values.map(\.framesPerSecond).max(), now: now)
    }
}
