import Foundation
import Testing
import GANEngine
import GANLab
import LabClient

/// Commands that change a run, checked over loopback against the run's own record.
@Suite(.serialized) struct RunSocketCommandTests {
    private func tensors(_ record: RunRecord, _ prefix: String) -> [TrainerState.Tensor] {
        record.trainer.tensors.filter { $0.name.hasPrefix(prefix) }
    }

    @Test func discriminatorStep_leavesTheGeneratorBitIdentical_andViceVersa() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let socket = try lab.join(run.code, token: run.token)
        let code = try #require(RunCode(run.code))
        try socket.command(["type": "step", "count": 3])
        _ = try socket.frame { $0.header.epoch == 3 }
        let start = try lab.lab.registry.record(of: code)
        #expect(try socket.command(["type": "step", "what": "d"])["queued"] as? Int == 1)
        let afterD = try socket.frame { $0.header.epoch == 4 }
        let d = try lab.lab.registry.record(of: code)
        #expect(tensors(d, "generator.") == tensors(start, "generator."), "a D step leaves G bit-identical")
        #expect(tensors(d, "discriminator.") != tensors(start, "discriminator."))
        try socket.command(["type": "step", "what": "g"])
        let afterG = try socket.frame { $0.header.epoch == 5 }
        let g = try lab.lab.registry.record(of: code)
        #expect(tensors(g, "discriminator.") == tensors(d, "discriminator."), "a G step leaves D bit-identical")
        #expect(tensors(g, "generator.") != tensors(d, "generator."))
        #expect(afterG.field()?.values == afterD.field()?.values, "the field is D's: unchanged by a G step")
        #expect(afterG.fakes() != afterD.fakes(), "the fakes are G's: they moved")
    }

    @Test func fork_isIndependent_andStartsFromTheSameState() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false, "seed": 4])
        let owner = try lab.join(run.code, token: run.token)
        try owner.command(["type": "step", "count": 7])
        _ = try owner.frame { $0.header.epoch == 7 }
        let viewer = try lab.join(run.code)
        let ack = try viewer.command(["type": "fork"])
        let forkCode = try #require(ack["code"] as? String), forkToken = try #require(ack["token"] as? String)
        #expect(ack["url"] as? String == "/r/\(forkCode)" && forkCode != run.code)
        let original = try lab.lab.registry.record(of: RunCode(run.code)!)
        let fork = try lab.lab.registry.record(of: RunCode(forkCode)!)
        #expect(fork.trainer == original.trainer, "same weights, optimiser state, random stream and epoch")
        #expect(fork.trainer.epoch == 7)
        #expect(fork.trainer.configuration == original.trainer.configuration && fork.data == original.data)
        #expect(fork.forkedFrom?.text == run.code && fork.playState == .paused)
        // Independent: training the fork leaves the original where it was, and the fork's token is not the original's.
        let forked = try lab.join(forkCode, token: forkToken)
        try forked.command(["type": "step", "count": 2])
        _ = try forked.frame { $0.header.state == .paused && $0.header.sequence > 1 }
        #expect(try lab.lab.registry.run(RunCode(run.code)!).status.epoch == 7)
        let wrong = try forked.command(["type": "auth", "token": run.token])
        #expect(wrong["code"] as? String == "bad-token")
        let summary = try HTTPClient.request("GET", "/api/runs/\(forkCode)", port: lab.port).json
        #expect(summary?["forkedFrom"] as? String == run.code)
    }

    @Test func resetConfigureDataAndSeed_startNewGenerations_keepingSettings() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false, "config": ["generator.learningRate": 0.02]])
        let socket = try lab.join(run.code, token: run.token)
        try socket.command(["type": "step", "count": 4])
        _ = try socket.frame { $0.header.epoch == 4 }
        let reset = try socket.command(["type": "reset"])
        #expect(reset["generation"] as? Int == 2)
        _ = try socket.expect("data") { $0["generation"] as? Int == 2 }
        _ = try socket.expect("history") { $0["generation"] as? Int == 2 }
        let state = try socket.expect("state") { $0["generation"] as? Int == 2 }
        #expect(state["epoch"] as? Int == 0)
        #expect((state["config"] as? [String: Any])?["generator.learningRate"] as? Double == 0.02, "reset keeps the person's settings")
        let live = try socket.command(["type": "configure", "config": ["discriminator.learningRate": 0.05, "batchSize": 64]])
        #expect(live["rebuilt"] as? Bool == false && live["generation"] as? Int == 2)
        #expect(Set(live["changed"] as? [String] ?? []) == ["discriminator.learningRate", "batchSize"])
        let rebuilt = try socket.command(["type": "configure", "config": ["generator.neurons": 12]])
        #expect(rebuilt["rebuilt"] as? Bool == true && rebuilt["generation"] as? Int == 3)
        let bad = try socket.command(["type": "configure", "config": ["generator.neurons": 16, "batchSize": 0]])
        #expect(bad["code"] as? String == "out-of-range" && bad["field"] as? String == "batchSize")
        let unchanged = try lab.lab.registry.run(RunCode(run.code)!).status.configuration
        #expect(unchanged.generator.neurons == 12, "all or nothing: the valid half of a refused configure did not apply")
        let data = try socket.command(["type": "data", "points": [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.5]], "weights": [1, 2, 3]])
        #expect(data["generation"] as? Int == 4)
        let message = try socket.expect("data") { $0["generation"] as? Int == 4 }
        #expect(message["kind"] as? String == "points" && (message["points"] as? [Double])?.count == 6)
        #expect((message["real"] as? [Double])?.count == 1_000, "500 real samples for display")
        let seed = try socket.command(["type": "seed", "seed": 99])
        #expect(seed["generation"] as? Int == 5)
        let status = try lab.lab.registry.run(RunCode(run.code)!).status
        #expect(status.configuration.seed == 99 && status.configuration.generator.neurons == 12 && status.epoch == 0)
    }

    @Test func subscribe_choosesLayersAndRate() throws {
        let lab = try TestLab()
        let run = try lab.create(["speed": 100])
        let socket = try lab.join(run.code)
        let ack = try socket.command(["type": "subscribe", "fps": 5, "layers": ["manifold", "predictions", "grid", "dgrad"]])
        #expect(ack["fps"] as? Int == 5)
        let frame = try socket.frame { $0.sectionIDs.contains(7) }
        #expect(frame.sectionIDs == [3, 5, 7, 8, 10])
        let manifold = try #require(frame.manifold())
        #expect(manifold.noiseDimension == 2 && manifold.cells == 4 && manifold.points.count == 2 * 25 && manifold.densities.count == 16)
        let predictions = try #require(frame.predictions())
        #expect(predictions.fakes.count == 40 && predictions.real.count == 500)
        // Beside a viewer at the default 30 frames per second, the 5-per-second one gets every 6th frame the run
        // computes: counted by the frames' sequence numbers, so the check needs no clock and bounds both ways.
        let fast = try lab.join(run.code)
        _ = try fast.frame()
        socket.discard()
        fast.discard()
        try fast.wait { fast.frames.count >= 61 }
        let span = fast.frames.first!.header.sequence...fast.frames.last!.header.sequence
        try socket.wait { socket.frames.contains { $0.header.sequence > span.upperBound } }
        let slow = socket.frames.filter { span.contains($0.header.sequence) }.count
        let expected = Double(span.count) / 6
        #expect(abs(Double(slow) - expected) <= 2.5, "\(slow) of \(span.count) computed frames; every 6th is \(expected)")
        #expect(fast.frames.count >= span.count * 3 / 4, "the 30-per-second viewer got (nearly) all of them")
    }
}

extension RunSocketCommandTests {
    @Test func pause_stopsTraining_atTheEpochItsAckNames_andTheNextFrameShowsIt() throws {
        let lab = try TestLab()
        let run = try lab.create(["speed": "max"])
        let socket = try lab.join(run.code, token: run.token)
        _ = try socket.frame { $0.header.epoch > 20 }
        let ack = try socket.command(["type": "pause"])
        let epoch = try #require(ack["epoch"] as? Int)
        let paused = try socket.frame { $0.header.state == .paused }
        #expect(paused.header.epoch == epoch, "nothing trained after the pause took effect")
        try socket.command(["type": "subscribe"])  // any command: a fresh frame follows
        let later = try socket.frame { $0.header.sequence > paused.header.sequence }
        #expect(later.header.epoch == epoch && later.header.state == .paused)
        #expect(try lab.lab.registry.run(RunCode(run.code)!).status.epoch == epoch)
    }

    @Test func subscribe_onAPausedRun_sendsTheCurrentFrameWithTheNewLayers() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let viewer = try lab.join(run.code)
        let first = try viewer.frame()
        #expect(first.header.state == .paused && !first.sectionIDs.contains(7))
        try viewer.command(["type": "subscribe", "layers": ["manifold", "gridDgrad", "predictions"]])
        let next = try viewer.frame { $0.sectionIDs.contains(7) }
        #expect(next.sectionIDs == [6, 7, 8, 10] && next.header.epoch == first.header.epoch)
    }

    @Test func slowMotion_sendsAFramePerSubStep_namingIt() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false, "config": ["discriminatorSteps": 1, "generatorSteps": 1]])
        let socket = try lab.join(run.code, token: run.token)
        let ack = try socket.command(["type": "slowmo", "on": true, "secondsPerStep": 0.25])
        #expect(ack["slowmo"] as? Bool == true)
        try socket.command(["type": "play"])
        var steps: [UInt8] = []
        let first = try socket.frame { $0.header.subStep == 1 }
        steps.append(first.header.subStep)
        #expect(first.header.state == .slowMotion)
        while steps.count < 10 {
            let frame = try socket.frame { $0.header.subStep != 0 && $0.header.subStep != steps.last }
            steps.append(frame.header.subStep)
        }
        #expect(steps == Array(1...10), "\(steps)")
        let state = try socket.expect("state") { $0["slowmo"] as? Bool == true }
        #expect(state["secondsPerStep"] as? Double == 0.25)
    }

    @Test func slowMotion_showsEachUpdateOfAnEpoch_andCountsTheEpochOnce() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false, "config": ["discriminatorSteps": 2, "generatorSteps": 1]])
        let socket = try lab.join(run.code, token: run.token)
        try socket.command(["type": "slowmo", "on": true, "secondsPerStep": 0.25])
        try socket.command(["type": "play"])
        let first = try socket.frame { $0.header.subStep == 1 }
        var steps = [first.header.subStep], epochs = [Int(first.header.epoch)]
        while steps.count < 15 {
            let frame = try socket.frame { $0.header.subStep != 0 && $0.header.subStep != steps.last }
            steps.append(frame.header.subStep)
            epochs.append(Int(frame.header.epoch))
        }
        // Two D updates (sub-steps 1-5 twice), then the G update: one epoch, counted at its first update.
        #expect(steps == Array(1...5) + Array(1...5) + Array(6...10), "\(steps)")
        #expect(epochs == [0, 0, 0, 0] + Array(repeating: 1, count: 11), "\(epochs)")
    }
}
