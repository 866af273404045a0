import Foundation
import GANLab
import Glibc
import LabClient

/// One WebSocket connection of the load test: it counts frames and the gaps between them, and, for the run's
/// probe, when the first frame showing a pause (or the play after it) arrived.
final class LoadTestViewer {
    /// The connection.
    let client: WebSocketClient
    /// The run it watches.
    let probe: LoadTestProbe
    /// Whether this connection sends the probe's commands.
    let isController: Bool
    /// Frames received while measuring.
    var frames = 0
    /// Seconds between consecutive frames while measuring (gaps that span a probe are left out).
    var gaps: [Double] = []
    /// Whether the server closed it.
    var isDropped = false
    /// The last probe whose pause this connection has seen.
    var lastProbeSeen = 0
    private var lastFrameAt: Double?
    private var lastState: FrameHeader.State?

    /// Connects (and, with a token, authenticates) one viewer of `code`.
    init(port: Int, code: String, probe: LoadTestProbe, isController: Bool, token: String?) throws {
        client = try WebSocketClient(port: port, path: "/ws/runs/\(code)", timeout: 30)
        self.probe = probe
        self.isController = isController
        if let token {
            try client.send(text: #"{"type":"auth","token":"\#(token)","id":"auth"}"#)
            let deadline = Date(timeIntervalSinceNow: 30)
            while true {
                guard let message = try client.receive(timeout: deadline.timeIntervalSinceNow) else { throw LoadTestError("no auth ack") }
                if case .text(let text) = message, text.contains("\"id\":\"auth\"") {
                    guard text.contains("controller") else { throw LoadTestError("auth refused: \(text)") }
                    break
                }
            }
        }
    }

    /// Reads what arrived (non-blocking) and accounts for every frame; `isMeasuring` starts the counting.
    func read(now: Double, isMeasuring: Bool) {
        do {
            try client.pump()
        } catch {
            isDropped = true
            return
        }
        if client.isClosed { isDropped = true }
        for message in client.takeMessages() {
            guard case .binary(let bytes) = message, let header = try? DecodedFrame.header(bytes) else { continue }
            if isMeasuring {
                frames += 1
                if let last = lastFrameAt, !probe.overlaps(from: last, to: now) { gaps.append(now - last) }
            }
            lastFrameAt = now
            if header.state != lastState {
                probe.saw(header.state, at: now, by: self)
                lastState = header.state
            }
        }
    }
}

/// Pause-then-play probes on one run: when the commands were sent and when frames first showed them.
final class LoadTestProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var probeID = 0
    private var pauseSentAt = 0.0
    private var playSentAt = 0.0
    private var awaitingPause = false
    private var awaitingPlay = false
    private var needsPlay = false
    /// Windows [pause sent, playing again + 50 ms]: gaps inside them are the probe's, not the server's.
    private var windows: [(start: Double, end: Double)] = []
    /// Seconds from a command to the controller's first frame showing it.
    private(set) var controllerLatencies: [Double] = []
    /// Seconds from a `pause` to each connection's first frame showing it.
    private(set) var viewerLatencies: [Double] = []

    /// Whether a probe is under way.
    var isActive: Bool { lock.lock(); defer { lock.unlock() }; return awaitingPause || awaitingPlay || needsPlay }

    private var isStartRequested = false

    /// Asks for a probe; the controller's own polling thread starts it (one thread per socket).
    func requestStart() {
        lock.lock()
        if !(awaitingPause || awaitingPlay || needsPlay) { isStartRequested = true }
        lock.unlock()
    }

    /// Starts a requested probe, or sends the `play` a probe owes (on the controller's polling thread).
    func drive(_ controller: LoadTestViewer, now: Double) {
        lock.lock()
        let starts = isStartRequested
        isStartRequested = false
        lock.unlock()
        if starts { start(controller, now: now) }
        continueIfNeeded(controller, now: now)
    }

    /// Sends `pause` on the controller.
    private func start(_ controller: LoadTestViewer, now: Double) {
        lock.lock()
        probeID += 1
        pauseSentAt = now
        awaitingPause = true
        windows.append((now, .infinity))
        lock.unlock()
        try? controller.client.send(text: #"{"type":"pause"}"#)
    }

    /// `viewer`'s frames changed to `state` at `now`.
    func saw(_ state: FrameHeader.State, at now: Double, by viewer: LoadTestViewer) {
        lock.lock()
        defer { lock.unlock() }
        if state == .paused, probeID > 0, viewer.lastProbeSeen < probeID, now >= pauseSentAt {
            viewer.lastProbeSeen = probeID
            viewerLatencies.append(now - pauseSentAt)
            if viewer.isController && awaitingPause {
                controllerLatencies.append(now - pauseSentAt)
                awaitingPause = false
                needsPlay = true
            }
        } else if state == .playing, viewer.isController, awaitingPlay {
            controllerLatencies.append(now - playSentAt)
            awaitingPlay = false
            if let last = windows.popLast() { windows.append((last.start, now + 0.05)) }
        }
    }

    /// Sends the `play` the probe owes, if any.
    private func continueIfNeeded(_ controller: LoadTestViewer, now: Double) {
        lock.lock()
        let send = needsPlay
        if send { needsPlay = false; playSentAt = now; awaitingPlay = true }
        lock.unlock()
        if send { try? controller.client.send(text: #"{"type":"play"}"#) }
    }

    /// Whether [from, to] touches a probe window.
    func overlaps(from: Double, to: Double) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return windows.contains { from <= $0.end && to >= $0.start }
    }
}
