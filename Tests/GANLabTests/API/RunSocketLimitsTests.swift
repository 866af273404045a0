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
        #expect(eventually { ((try? lab.archive.load(RunCode(run.code)!)) ?? nil) == nil }, "the archive forgets it too")
    }

    @Test func neverReadingViewer_doesNotDelayAnotherViewersFrames() throws {
        let lab = try TestLab()
        let run = try lab.create(["speed": 100, "config": ["views.decisionResolution": 64, "views.fakeSampleCount": 500]])
        let reader = try lab.join(run.code)
        _ = try reader.frame()
        /// Seconds the reader takes to receive `count` frames, and the epochs they span.
        func cadence(_ count: Int) throws -> (seconds: Double, epochs: ClosedRange<Int>) {
            reader.discard()
            let started = Date()
            #expect(try reader.wait { reader.frames.count >= count }, "the reader's frames stopped")
            let epochs = reader.frames.map(\.header.epoch)
            return (Date().timeIntervalSince(started), epochs.min()!...epochs.max()!)
        }
        let alone = try cadence(20)
        // A viewer with a tiny receive buffer that never reads: its socket fills within a few frames.
        let stuck = try RunSocket(port: lab.port, code: run.code, receiveBufferBytes: 4096)
        _ = try cadence(10)  // its buffers fill meanwhile
        let beside = try cadence(20)
        #expect(beside.epochs.upperBound > beside.epochs.lowerBound, "the run trains on")
        // Measured against the same run alone, moments earlier: a generous margin for a shared machine, but a reader
        // held back by the stuck one (a blocked send, a growing queue) would fall far behind it.
        #expect(beside.seconds < 3 * alone.seconds + 0.5,
                "20 frames took \(beside.seconds) s beside a stuck viewer, \(alone.seconds) s alone")
        #expect(!stuck.client.isClosed, "the stuck viewer was still connected while measured")
    }

    @Test func badCommandsOnOneRun_leaveAnotherRunAlone() throws {
        let lab = try TestLab { $0.commandsPerSecond = 5; $0.maxMessageBytes = 64 << 10 }
        let a = try lab.create(["speed": 200]), b = try lab.create(["speed": 200])
        let attacker = try lab.join(a.code, token: a.token)
        let watcher = try lab.join(b.code)
        let before = try watcher.frame { $0.header.epoch > 0 }
        let bSettings = try lab.lab.registry.run(RunCode(b.code)!).status.configuration
        for text in ["{not json", #"{"type":"dance"}"#, #"{"type":"configure","config":{"generator.neurons":1e20}}"#,
                     #"{"type":"step","count":10001}"#, #"{"type":"data","points":[[0,0],[5,5]]}"#] {
            try attacker.client.send(text: text)
        }
        for id in 0..<40 { try attacker.send(["type": "speed", "epochsPerSecond": 1, "id": id]) }  // a flood: mostly rate-limited
        try attacker.client.send(text: #"{"type":"play","pad":""# + String(repeating: "x", count: 70 << 10) + #""}"#)
        _ = try? attacker.wait { attacker.client.isClosed }
        #expect(attacker.client.closeCode == 1009)
        let after = try watcher.frame { $0.header.epoch > before.header.epoch + 20 }
        #expect(after.header.state == .playing && after.header.generation == before.header.generation)
        let status = try lab.lab.registry.run(RunCode(b.code)!).status
        #expect(status.speed == .epochsPerSecond(200) && status.configuration == bSettings, "run B's settings untouched")
        #expect(try lab.lab.registry.run(RunCode(a.code)!).status.playState == .playing, "run A itself also carries on")
    }

    @Test func fullInbox_refusesCommandsWithRateLimited_echoingTheirIDs() throws {
        // Networks whose single update takes milliseconds, so commands pile up while the worker is inside one.
        let heavy: [String: Any] = ["generator.hiddenLayers": 3, "generator.neurons": 256, "discriminator.hiddenLayers": 3,
                                    "discriminator.neurons": 256, "batchSize": 512]
        let lab = try TestLab { $0.inboxCapacity = 8; $0.commandsPerSecond = 10_000 }
        let run = try lab.create(["speed": "max", "config": heavy])
        let socket = try lab.join(run.code, token: run.token)
        _ = try socket.frame { $0.header.epoch >= 1 }
        let ids = Array(1...120)
        for id in ids { try socket.send(["type": "speed", "epochsPerSecond": 10 + id, "id": id]) }
        var replies: [Int: [String: Any]] = [:]
        try socket.wait {
            for message in socket.messages where ["ack", "error"].contains(message["type"] as? String) {
                if let id = message["id"] as? Int { #expect(replies.updateValue(message, forKey: id) == nil, "one reply per command") }
            }
            socket.discard()
            return replies.count >= ids.count
        }
        #expect(Set(replies.keys) == Set(ids))
        let refused = replies.values.filter { $0["code"] as? String == "rate-limited" }
        #expect(!refused.isEmpty, "120 commands at once into an inbox of 8")
        #expect(refused.allSatisfy { ($0["message"] as? String)?.contains("busy with earlier commands") == true })
        #expect(replies.values.filter { $0["type"] as? String == "ack" }.count >= 8, "the inbox's worth got through")
        #expect(try socket.command(["type": "pause"])["type"] as? String == "ack", "served again afterwards")
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
        #expect(Set(replies.compactMap { $0["id"] as? Int }) == Set(1...30), "refused before decoding, but with their ids")
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
