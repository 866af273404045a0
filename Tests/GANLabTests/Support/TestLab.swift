import Foundation
import Testing
import GANLab
import LabClient
import WebServer

/// A whole lab on 127.0.0.1 port 0 for loopback tests, with small views (debug builds are slow) and quiet logs.
final class TestLab {
    let lab: Lab
    let archive: MemoryRunArchive
    var port: Int { lab.port }

    /// View settings small enough that a debug build computes a frame in a few milliseconds.
    static let smallViews: [String: Any] = [
        "views.fakeSampleCount": 40, "views.decisionResolution": 8, "views.arrowGridResolution": 4,
        "views.manifoldCells": 4, "views.metricSampleCount": 100,
    ]

    init(archive: MemoryRunArchive = MemoryRunArchive(), beforeStart: (Lab) -> Void = { _ in },
         _ configure: (inout LabConfiguration) -> Void = { _ in }) throws {
        var configuration = LabConfiguration()
        configuration.workers = 2
        configure(&configuration)
        var server = ServerConfiguration()
        server.port = 0
        server.logLevel = .critical
        server.shutdownGracePeriod = 0.5
        self.archive = archive
        lab = try Lab(configuration: configuration, server: server, archive: archive)
        beforeStart(lab)
        try lab.start()
    }

    deinit { lab.stop() }

    /// POST /api/runs with `body` (small views merged into `config` unless `smallViews` is false).
    func create(_ body: [String: Any] = [:], smallViews: Bool = true) throws -> (code: String, token: String, answer: [String: Any]) {
        var body = body
        if smallViews {
            var config = body["config"] as? [String: Any] ?? [:]
            for (key, value) in Self.smallViews where config[key] == nil { config[key] = value }
            body["config"] = config
        }
        let response = try HTTPClient.request("POST", "/api/runs", port: port, body: Array(try JSONSerialization.data(withJSONObject: body)))
        guard response.status == 201, let json = response.json, let code = json["code"] as? String, let token = json["token"] as? String else {
            throw LabClientError.protocolViolation("create answered \(response.status): \(response.text)")
        }
        return (code, token, json)
    }

    /// A WebSocket on the run, past the four join messages.
    func join(_ code: String, token: String? = nil) throws -> RunSocket {
        let socket = try RunSocket(port: port, code: code)
        _ = try socket.expect("hello")
        _ = try socket.expect("state")
        _ = try socket.expect("data")
        _ = try socket.expect("history")
        if let token {
            let ack = try socket.command(["type": "auth", "token": token])
            #expect(ack["role"] as? String == "controller")
            _ = try socket.expect("state")
        }
        return socket
    }
}

/// A client on `/ws/runs/{code}` that sorts what arrives into JSON messages and decoded frames.
final class RunSocket {
    let client: WebSocketClient
    private(set) var messages: [[String: Any]] = []
    private(set) var frames: [DecodedFrame] = []
    private var nextID = 1

    init(port: Int, code: String, receiveBufferBytes: Int32? = nil) throws {
        client = try WebSocketClient(port: port, path: "/ws/runs/\(code)", receiveBufferBytes: receiveBufferBytes)
    }

    deinit { client.close() }

    /// Reads for up to `timeout` seconds until `condition` holds on what arrived; false when it never did.
    @discardableResult
    func wait(timeout: Double = 20, until condition: () -> Bool) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !condition() {
            guard deadline.timeIntervalSinceNow > 0 else { return false }
            guard let message = try client.receive(timeout: min(0.2, max(0.001, deadline.timeIntervalSinceNow))) else { continue }
            switch message {
            case .text(let text):
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
                messages.append(object)
            case .binary(let bytes):
                frames.append(try DecodedFrame(bytes))
            }
        }
        return true
    }

    /// The first unread JSON message of `type` (messages before it stay for later `expect`s).
    func expect(_ type: String, timeout: Double = 20, where predicate: ([String: Any]) -> Bool = { _ in true }) throws -> [String: Any] {
        var found: Int?
        try wait(timeout: timeout) {
            found = messages.firstIndex { $0["type"] as? String == type && predicate($0) }
            return found != nil
        }
        guard let index = found else { throw LabClientError.timedOut("a \(type) message") }
        return messages.remove(at: index)
    }

    /// Sends a command with a fresh id and returns its ack or error.
    @discardableResult
    func command(_ body: [String: Any], timeout: Double = 20) throws -> [String: Any] {
        var body = body
        let id = nextID
        nextID += 1
        body["id"] = id
        try send(body)
        var reply: [String: Any]?
        try wait(timeout: timeout) {
            if let index = messages.firstIndex(where: { ($0["type"] as? String == "ack" || $0["type"] as? String == "error") && $0["id"] as? Int == id }) {
                reply = messages.remove(at: index)
            }
            return reply != nil
        }
        guard let reply else { throw LabClientError.timedOut("the reply to \(body)") }
        return reply
    }

    /// Sends a JSON object.
    func send(_ body: [String: Any]) throws {
        try client.send(text: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    /// Waits for a frame matching `predicate` (frames before it are dropped).
    func frame(timeout: Double = 20, where predicate: (DecodedFrame) -> Bool = { _ in true }) throws -> DecodedFrame {
        var found: DecodedFrame?
        try wait(timeout: timeout) {
            if let index = frames.firstIndex(where: predicate) {
                found = frames[index]
                frames.removeFirst(index + 1)
            }
            return found != nil
        }
        guard let found else {
            let seen = frames.suffix(5).map { "epoch \($0.header.epoch) seq \($0.header.sequence)" }
            throw LabClientError.timedOut("a frame (\(frames.count) others arrived; the last: \(seen))")
        }
        return found
    }

    /// Forgets what arrived so far.
    func discard() {
        messages.removeAll()
        frames.removeAll()
    }
}
