import Foundation
import Testing
import GANLab
import LabClient

/// Limits and isolation over loopback: deletion, slow viewers, rate limits, message size, viewers per run.
@Suite(.serialized) struct RunSocketLimitsTests {
    /// Reads until the server closes; returns its close code.
    private func closeCode(_ socket: RunSocket) -> UInt16? {
        _ = try? socket.wait(timeout: 20) { socket.client.isClosed }
        return socket.client.closeCode
    }

    @Test func delete_needsTheToken_andClosesEveryViewerWith4000() throws {
        let lab = try TestLab()
        let run = try lab.create()
        let viewers = try (0..<3).map { _ in try lab.join(run.code) }
        let noToken = try HTTPClient.request("DELETE", "/api/runs/\(run.code)", port: lab.port)
        #expect(noToken.status == 403 && noToken.json?["error"] != nil)
        let wrong = try HTTPClient.request("DELETE", "/api/runs/\(run.code)", port: lab.port, headers: ["Authorization": "Bearer 00"])
        #expect(wrong.status == 403)
        let deleted = try HTTPClient.request("DELETE", "/api/runs/\(run.code)", port: lab.port,
                                             headers: ["Authorization": "Bearer \(run.token)"])
        #expect(deleted.status == 204)
        for viewer in viewers {
            #expect(closeCode(viewer) == 4000)
            #expect(viewer.client.closeReason == "run deleted")
        }
        #expect(try HTTPClient.request("GET", "/api/runs/\(run.code)", port: lab.port).status == 404)
        #expect(try HTTPClient.request("DELETE", "/api/runs/\(run.code)", port: lab.port,
                                       headers: ["Authorization": "Bearer \(run.token)"]).status == 404)
        #expect(try lab.archive.load(RunCode(run.code)!) == nil, "the archive forgets it too")
    }

    @Test func neverReadingViewer_doesNotDelayAnotherViewersFrames() throws {
        let lab = try TestLab()
        let run = try lab.create(["speed": 100, "config": ["views.decisionResolution": 64, "views.fakeSampleCount": 500]])
        // A viewer with a tiny receive buffer that never reads: its socket fills at once.
        let stuck = try RunSocket(port: lab.port, code: run.code, receiveBufferBytes: 4096)
        let reader = try lab.join(run.code)
        _ = try reader.frame()
        reader.discard()
        let started = Date()
        let first = try reader.frame()
        let later = try reader.frame { $0.header.sequence >= first.header.sequence + 10 }
        let seconds = Date().timeIntervalSince(started)
        #expect(later.header.epoch > first.header.epoch)
        #expect(seconds < 15, "ten frames reached the reading viewer in \(seconds) s")
        withExtendedLifetime(stuck) {}
    }

    @Test func commandFlood_isRateLimited_andThenServedAgain() throws {
        let lab = try TestLab { $0.commandsPerSecond = 5 }
        let run = try lab.create(["playing": false])
        let socket = try lab.join(run.code, token: run.token)
        for id in 1...30 { try socket.send(["type": "speed", "epochsPerSecond": 10 + id, "id": id]) }
        var replies: [[String: Any]] = []
        try socket.wait { replies = socket.messages.filter { ["ack", "error"].contains($0["type"] as? String) }; return replies.count >= 30 }
        let limited = replies.filter { $0["code"] as? String == "rate-limited" }
        #expect(limited.count >= 15 && limited.count <= 22, "a burst of 10 passes, then ~5/s: \(limited.count) refused")
        #expect((limited.first?["message"] as? String)?.contains("5 commands per second") == true)
        // Back to normal once the bucket refills (polling, no fixed sleep).
        var ack: [String: Any] = [:]
        #expect(eventually { ack = (try? socket.command(["type": "pause"])) ?? [:]; return ack["type"] as? String == "ack" })
    }

    @Test func messageOverTheLimit_closesWith1009_andOthersCarryOn() throws {
        let lab = try TestLab { $0.maxMessageBytes = 64 << 10 }
        let run = try lab.create()
        let big = try lab.join(run.code)
        let other = try lab.join(run.code)
        try big.client.send(text: #"{"type":"play","pad":""# + String(repeating: "x", count: 70 << 10) + #""}"#)
        #expect(closeCode(big) == 1009)
        #expect(big.client.closeReason == "frame too big")  // one frame over the route's limit, refused from its header
        _ = try other.frame()
        other.discard()
        _ = try other.frame()
    }

    @Test func viewersBeyondTheLimit_areClosedWith4029() throws {
        let lab = try TestLab { $0.maxViewersPerRun = 2 }
        let run = try lab.create()
        let a = try lab.join(run.code), b = try lab.join(run.code)
        let third = try RunSocket(port: lab.port, code: run.code)
        let error = try third.expect("error")
        #expect(error["code"] as? String == "busy")
        #expect(closeCode(third) == 4029)
        withExtendedLifetime((a, b)) {}
    }

    @Test func forks_areLimitedPerConnection() throws {
        let lab = try TestLab { $0.forksPerMinute = 1 }
        let run = try lab.create(["playing": false])
        let viewer = try lab.join(run.code)
        let codes = try (0..<4).map { _ in try viewer.command(["type": "fork"]) }
        #expect(codes.prefix(3).allSatisfy { $0["type"] as? String == "ack" }, "a burst of three")
        #expect(codes[3]["code"] as? String == "rate-limited")
        #expect(lab.lab.registry.count == 4)
    }

    @Test func binaryMessages_areNotCommands() throws {
        let lab = try TestLab()
        let run = try lab.create()
        let socket = try lab.join(run.code)
        try socket.client.send(binary: [1, 2, 3])
        #expect(try socket.expect("error")["code"] as? String == "bad-json")
    }
}
