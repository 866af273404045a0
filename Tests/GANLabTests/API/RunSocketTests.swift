import Foundation
import Testing
import GANLab
import LabClient

/// The WebSocket surface over real loopback sockets (docs/protocol.md §2, §3).
@Suite(.serialized) struct RunSocketTests {
    @Test func controller_playsAndReceivesFramesWithRisingEpochsAndFiniteSections() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let socket = try lab.join(run.code, token: run.token)
        let ack = try socket.command(["type": "play"])
        #expect(ack["type"] as? String == "ack")
        #expect(ack["state"] as? String == "playing")
        let first = try socket.frame { $0.header.state == .playing }
        let later = try socket.frame { $0.header.epoch > first.header.epoch + 3 }
        #expect(later.header.sequence > first.header.sequence)
        #expect(later.sectionIDs == [1, 2, 4, 8, 9], "default layers: fakes, arrows, field, metrics, modes (gaussians has two)")
        #expect(try #require(later.modes()).count == 2)
        let fakes = try #require(later.fakes())
        #expect(fakes.count == 2 * 40)
        #expect(fakes.allSatisfy { $0.isFinite && abs($0) <= 2 })
        let field = try #require(later.field())
        #expect(field.resolution == 8 && field.values.allSatisfy { (0...1).contains($0) })
        let metrics = try #require(later.metrics())
        #expect(metrics.count == 13)
        #expect(metrics[0].isFinite && metrics[1].isFinite, "losses after training: \(metrics)")
        #expect(metrics[5].isFinite && (0...1).contains(metrics[5]), "JS in bits")
        #expect(try #require(later.vectors(.arrows)).allSatisfy(\.isFinite))
    }

    @Test func unknownCode_getsNotFoundThenClose4004() throws {
        let lab = try TestLab()
        let client = try WebSocketClient(port: lab.port, path: "/ws/runs/ZZZZZZ")
        guard case .text(let text)? = try client.receive(timeout: 10) else { Issue.record("no error message"); return }
        #expect(text.contains("\"code\":\"not-found\""))
        #expect(throws: LabClientError.self) { while true { _ = try client.receive(timeout: 10) } }
        #expect(client.closeCode == 4004)
    }
}

extension RunSocketTests {
    /// Every command a viewer may not send.
    static let controlCommands: [[String: Any]] = [
        ["type": "play"], ["type": "pause"], ["type": "step"], ["type": "reset"],
        ["type": "configure", "config": ["generator.learningRate": 0.01]], ["type": "data", "preset": "ring"],
        ["type": "seed", "seed": 5], ["type": "speed", "epochsPerSecond": 50], ["type": "slowmo", "on": true],
    ]

    @Test func viewer_seesTheControllersEpochs_andGetsReadOnlyForEveryControlCommand() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let controller = try lab.join(run.code, token: run.token)
        let viewer = try lab.join(run.code)
        for command in Self.controlCommands {
            let reply = try viewer.command(command)
            #expect(reply["type"] as? String == "error", "\(command)")
            #expect(reply["code"] as? String == "read-only", "\(command): \(reply)")
            #expect(reply["command"] as? String == command["type"] as? String)
        }
        for target in [5, 10, 15] {
            #expect(try controller.command(["type": "step", "count": 5])["queued"] as? Int == 5)
            let seen = try controller.frame { $0.header.epoch == target }
            let watched = try viewer.frame { $0.header.sequence == seen.header.sequence }
            #expect(watched.header.epoch == target && watched.header.generation == seen.header.generation)
            #expect(watched.header.viewers == 2)
            #expect(watched.fakes() == seen.fakes() && watched.field()?.values == seen.field()?.values
                    && watched.metrics()?.map(\.bitPattern) == seen.metrics()?.map(\.bitPattern), "the same frame for both at epoch \(target)")
        }
        let fork = try viewer.command(["type": "fork"])
        #expect(fork["type"] as? String == "ack", "a viewer may fork: \(fork)")
    }

    @Test func badCommands_getTheirErrorCodes_andTheRunKeepsTraining() throws {
        let lab = try TestLab()
        let run = try lab.create(["speed": 200])
        let socket = try lab.join(run.code, token: run.token)
        let before = try socket.frame { $0.header.epoch > 0 }.header.epoch
        let cases: [(String, String)] = [
            ("{not json", "bad-json"), ("[1,2]", "bad-json"), (#"{"type":"dance"}"#, "unknown-type"), (#"{"id":7}"#, "unknown-type"),
            (#"{"type":"step","count":"many"}"#, "bad-field"), (#"{"type":"play","extra":1}"#, "bad-field"),
            (#"{"type":"configure","config":{"generator.nuerons":8}}"#, "bad-field"),
            (#"{"type":"configure","config":{"loss":"mystery"}}"#, "bad-field"),
            (#"{"type":"configure","config":{"generator.learningRate":20}}"#, "out-of-range"),
            (#"{"type":"configure","config":{"generator.learningRate":1e400}}"#, "not-finite"),
            (#"{"type":"step","count":0}"#, "out-of-range"), (#"{"type":"step","count":10001}"#, "out-of-range"),
            (#"{"type":"step","count":2.5}"#, "bad-field"), (#"{"type":"subscribe","fps":61}"#, "out-of-range"),
            (#"{"type":"subscribe","layers":["sparkles"]}"#, "bad-field"),
            (#"{"type":"speed","epochsPerSecond":0}"#, "out-of-range"), (#"{"type":"seed","seed":-1}"#, "out-of-range"),
            (#"{"type":"data","points":[[0,0],[2,0]]}"#, "out-of-range"), (#"{"type":"data","points":[[0,"x"]]}"#, "bad-field"),
            (#"{"type":"data","points":[[0,0]],"jitter":0.9}"#, "out-of-range"), (#"{"type":"auth","token":"nope"}"#, "bad-token"),
        ]
        for (text, code) in cases {
            try socket.client.send(text: text)
            let error = try socket.expect("error")
            #expect(error["code"] as? String == code, "\(text) → \(error)")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
        let tooMany = (0...20_000).map { _ in "[0.1,0.2]" }.joined(separator: ",")
        try socket.client.send(text: #"{"type":"data","points":["# + tooMany + "]}")
        #expect(try socket.expect("error")["code"] as? String == "too-many-points")
        let after = try socket.frame { $0.header.epoch > before + 5 }
        #expect(after.header.state == .playing, "the run kept training through every bad command")
        #expect(after.header.generation == 1, "nothing was rebuilt")
    }
}
