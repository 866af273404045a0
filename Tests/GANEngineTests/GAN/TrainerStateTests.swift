import Testing
import GANEngine

@Suite struct TrainerStateTests {
    static let cases: [(String, @Sendable (inout GANConfiguration) -> Void)] = [
        ("sgd", { _ in }),
        ("adam + batch norm + rmsprop", {
            $0.generator.batchNorm = true
            $0.generator.optimizer = OptimizerConfiguration(kind: .adam, learningRate: 1e-3, beta1: 0.5)
            $0.discriminator.optimizer = OptimizerConfiguration(kind: .rmsprop, learningRate: 1e-3)
        }),
        ("momentum + least squares", {
            $0.generator.optimizer = OptimizerConfiguration(kind: .momentum, learningRate: 0.01)
            $0.discriminator.optimizer = OptimizerConfiguration(kind: .momentum, learningRate: 0.01)
            $0.loss = .leastSquares
        }),
    ]

    func makeTrainer(_ edit: (inout GANConfiguration) -> Void = { _ in }) throws -> Trainer {
        var c = GANConfiguration(preset: .gaussians, seed: 11)
        edit(&c)
        return try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution())
    }

    @Test(arguments: 0..<cases.count)
    func trainCaptureRestoreTrain_equalsTrainingStraightThrough(_ index: Int) throws {
        let edit = Self.cases[index].1
        let straight = try makeTrainer(edit)
        try straight.train(epochs: 150)

        let first = try makeTrainer(edit)
        try first.train(epochs: 100)
        let state = first.capturedState()
        let resumed = try Trainer(restoring: state, distribution: Preset.gaussians.makeDistribution())
        #expect(resumed.capturedState() == state, "restoring then capturing gives the same state")
        try resumed.train(epochs: 50)
        #expect(resumed.capturedState() == straight.capturedState(), "\(Self.cases[index].0)")
        #expect(resumed.generator.flattenedParameters == straight.generator.flattenedParameters)
    }

    @Test func state_holdsEverything() throws {
        let trainer = try makeTrainer(Self.cases[1].1)
        try trainer.train(epochs: 3)
        let state = trainer.capturedState()
        let names = Set(state.tensors.map(\.name))
        #expect(names.contains("generator.dense0.weight") && names.contains("discriminator.dense2.bias"))
        #expect(names.contains("generator.batchnorm0.runningMean") && names.contains("generator.batchnorm1.runningVariance"))
        #expect(names.contains("generator.optimizer.m.dense0.weight") && names.contains("generator.optimizer.v.batchnorm0.scale"))
        #expect(names.contains("discriminator.optimizer.meanSquare.dense1.weight"))
        #expect(state.scalars["generator.optimizer.steps"] == 3 && state.scalars["discriminator.optimizer.steps"] == 6)
        #expect(state.scalars["lastGeneratorLoss"] == Double(trainer.lastGeneratorLoss))
        #expect(state.epoch == 3 && state.random == trainer.random.state)
    }

    @Test func fork_isIndependent() throws {
        let original = try makeTrainer()
        try original.train(epochs: 20)
        let before = original.capturedState()
        let fork = original.forked()
        try fork.train(epochs: 10)
        #expect(original.capturedState() == before)
        #expect(fork.epoch == 30 && fork.generator.flattenedParameters != original.generator.flattenedParameters)
        try original.train(epochs: 10)
        #expect(original.capturedState() == fork.capturedState())
    }

    @Test func freshState_beforeAnyUpdate_restores() throws {
        let trainer = try makeTrainer()
        let state = trainer.capturedState()
        #expect(state.scalars["lastDiscriminatorLoss"]!.isNaN)
        let restored = try Trainer(restoring: state, distribution: Preset.gaussians.makeDistribution())
        #expect(restored.capturedState() == state)
    }

    /// Restores `edit(state)` and returns the error.
    func refusal(_ edit: (inout TrainerState) -> Void) throws -> TrainerStateError? {
        let trainer = try makeTrainer(Self.cases[1].1)
        try trainer.train(epochs: 2)
        var state = trainer.capturedState()
        edit(&state)
        do {
            _ = try Trainer(restoring: state, distribution: Preset.gaussians.makeDistribution())
            return nil
        } catch {
            return error
        }
    }

    @Test func badStates_areRefusedNamingTheProblem() throws {
        #expect(try refusal { $0.tensors[0] = TrainerState.Tensor(name: $0.tensors[0].name, rows: 3, columns: 3, values: Array(repeating: 0, count: 9)) }
            == .wrongShape(name: "generator.dense0.weight", expected: "2×8", found: "3×3 with 9 values"))
        #expect(try refusal { $0.tensors[0].values.removeLast() }
            == .wrongShape(name: "generator.dense0.weight", expected: "2×8", found: "2×8 with 15 values"))
        #expect(try refusal { $0.tensors.removeAll { $0.name == "generator.batchnorm0.runningMean" } }
            == .missingTensor("generator.batchnorm0.runningMean"))
        #expect(try refusal { $0.tensors.append(TrainerState.Tensor(name: "generator.dense9.weight", rows: 1, columns: 1, values: [0])) }
            == .unexpectedTensor("generator.dense9.weight"))
        #expect(try refusal { $0.tensors.append($0.tensors[1]) } == .duplicateTensor(tensorName(1)))
        #expect(try refusal { $0.random = [0, 0, 0, 0, 0, 0] } == .invalidRandomState)
        #expect(try refusal { $0.random = [1, 2, 3] } == .invalidRandomState)
        #expect(try refusal { $0.epoch = -1 } == .invalidEpoch(-1))
        #expect(try refusal { $0.configuration.batchSize = 0 }
            == .invalidConfiguration(ConfigurationError(field: "batchSize", value: "0", allowed: "1...4096")))
        #expect(try refusal { $0.scalars["generator.optimizer.steps"] = nil } == .missingScalar("generator.optimizer.steps"))
        #expect(try refusal { $0.scalars["colour"] = 1 } == .unexpectedScalar("colour"))
        #expect(try refusal { $0.scalars["generator.optimizer.steps"] = -1 }
            == .invalidScalar(name: "generator.optimizer.steps", value: -1, allowed: "whole numbers 0...9007199254740991"))
        #expect(try refusal { $0.scalars["discriminator.optimizer.steps"] = 2.5 } != nil)
        // An optimiser the configuration does not use: its state is foreign.
        #expect(try refusal { $0.configuration.generator.optimizer.kind = .sgd } == .unexpectedTensor("generator.optimizer.m.dense0.weight"))
        #expect(TrainerStateError.missingTensor("x").description.contains("\"x\""))
    }

    private func tensorName(_ index: Int) -> String {
        (try? makeTrainer(Self.cases[1].1).capturedState().tensors[index].name) ?? ""
    }

    @Test func divergedTrainer_restoresAsDiverged() throws {
        let trainer = try makeTrainer()
        try trainer.train(epochs: 2)
        trainer.discriminator.parameters[0].value.data[0] = .nan
        let state = trainer.capturedState()
        let restored = try Trainer(restoring: state, distribution: Preset.gaussians.makeDistribution())
        #expect(throws: TrainingError.diverged(epoch: 3, network: "discriminator")) { try restored.trainEpoch() }
    }
}
