import Testing
import GANEngine

/// `Trainer.stepWithinEpoch()`: slow motion takes an epoch's updates one at a time.
@Suite struct TrainerSlowMotionTests {
    func makeTrainer(_ edit: (inout GANConfiguration) -> Void = { _ in }) throws -> Trainer {
        var c = GANConfiguration(preset: .ring, seed: 4)
        c.discriminatorSteps = 2
        c.generatorSteps = 1
        edit(&c)
        return try Trainer(configuration: c, distribution: Preset.ring.makeDistribution())
    }

    @Test(arguments: [false, true])
    func theUpdatesOfAnEpoch_oneAtATime_equalTrainEpoch(stabilised: Bool) throws {
        let edit: (inout GANConfiguration) -> Void = { if stabilised { $0.penalty = .r1; $0.generatorAverage = true } }
        let slow = try makeTrainer(edit), whole = try makeTrainer(edit)
        try whole.train(epochs: 3)
        try slow.train(epochs: 2)
        let g = slow.generator.flattenedParameters, d = slow.discriminator.flattenedParameters
        #expect(try slow.stepWithinEpoch() == .discriminator)
        #expect(slow.epoch == 3 && slow.updatesTakenInEpoch == 1)
        #expect(slow.generator.flattenedParameters == g, "a D update leaves G bit-identical")
        #expect(try slow.stepWithinEpoch() == .discriminator)
        let d2 = slow.discriminator.flattenedParameters
        #expect(d2 != d)
        #expect(try slow.stepWithinEpoch() == .generator)
        #expect(slow.discriminator.flattenedParameters == d2, "a G update leaves D bit-identical")
        #expect(slow.epoch == 3 && slow.updatesTakenInEpoch == 0)
        #expect(slow.capturedState() == whole.capturedState())
    }

    @Test func anEpochUnderWay_isFinishedByTraining_andSurvivesCaptureAndRestore() throws {
        let slow = try makeTrainer(), whole = try makeTrainer()
        try slow.stepWithinEpoch()
        let state = slow.capturedState()
        let restored = try Trainer(restoring: state, distribution: Preset.ring.makeDistribution())
        #expect(restored.updatesTakenInEpoch == 1 && restored.epoch == 1)
        try restored.train(epochs: 1)  // the rest of epoch 1, then epoch 2
        try slow.finishEpoch()
        try slow.trainEpoch()
        try whole.train(epochs: 2)
        #expect(restored.capturedState() == whole.capturedState())
        #expect(slow.capturedState() == whole.capturedState())
        // A state between epochs carries no position, so states saved before this existed still load.
        #expect(whole.capturedState().scalars["epoch.updatesTaken"] == nil)
    }

    @Test func aStepOrFewerUpdates_endTheEpochUnderWay() throws {
        let slow = try makeTrainer(), reference = try makeTrainer()
        try slow.stepWithinEpoch()
        try slow.stepGenerator()  // finishes epoch 1 first, then one G update as epoch 2
        try reference.trainEpoch()
        try reference.stepGenerator()
        #expect(slow.capturedState() == reference.capturedState())
        try slow.stepWithinEpoch()
        try slow.stepWithinEpoch()
        var c = slow.configuration
        c.discriminatorSteps = 1
        c.generatorSteps = 1
        try slow.update(configuration: c)
        #expect(slow.updatesTakenInEpoch == 0, "two of two updates taken: the epoch is over")
    }

    @Test func aPositionOutOfRange_isRefused() throws {
        let trainer = try makeTrainer()
        var state = trainer.capturedState()
        state.scalars["epoch.updatesTaken"] = 3  // k_D + k_G = 3 updates: 1...2 can be under way
        #expect(throws: TrainerStateError.self) { _ = try Trainer(restoring: state, distribution: Preset.ring.makeDistribution()) }
    }
}
