import Testing
import GANEngine

/// A whole discriminator update with R1 or R2, through `Trainer`: the step it takes is −η times the gradient of
/// (D loss + penalty) on its batch, checked coordinate by coordinate against central differences of the loss and
/// penalty the same update reports (each evaluated on a fork, so every fork draws the same batch). A tanh D, so
/// the objective is smooth; InputGradientPenaltyTests checks the double backward of (leaky) ReLU networks.
@Suite struct TrainerPenaltyGradientTests {
    @Test(arguments: [GradientPenalty.r1, .r2])
    func discriminatorStepWithPenalty_isMinusTheGradientOfLossPlusPenalty(_ penalty: GradientPenalty) throws {
        var c = GANConfiguration(preset: .ringOfGaussians, seed: 17)
        c.discriminator.activation = .tanh
        c.discriminator.hiddenLayers = 2
        c.discriminator.neurons = 6
        c.batchSize = 24
        c.penalty = penalty
        c.penaltyWeight = 2
        c.penaltyInterval = 1
        let base = try Trainer(configuration: c, distribution: Preset.ringOfGaussians.makeDistribution())
        try base.train(epochs: 30)  // away from the initialisation
        c.discriminator.optimizer = OptimizerConfiguration(kind: .sgd, learningRate: 1)  // now the step is the gradient
        try base.update(configuration: c)
        // D's value at given parameters on the next update's batch: loss + penalty, as that update reports them.
        func objective(perturbing parameter: Int, _ index: Int, by delta: Float) throws -> Double {
            let fork = base.forked()
            fork.discriminator.parameters[parameter].value.data[index] += delta
            try fork.stepDiscriminator()
            return Double(fork.lastDiscriminatorLoss) + Double(fork.lastDiscriminatorPenalty)
        }
        let stepped = base.forked()
        let before = stepped.discriminator.parameters.map { $0.value.values }
        try stepped.stepDiscriminator()
        #expect(stepped.lastDiscriminatorPenalty > 0)
        let h: Float = 1e-2
        var worst = 0.0, checked = 0
        for (p, parameter) in stepped.discriminator.parameters.enumerated() {
            for i in 0..<parameter.value.count {
                let analytic = Double(before[p][i]) - Double(parameter.value.data[i])  // −(θ′ − θ)/η, η = 1
                let (minus, plus) = (try objective(perturbing: p, i, by: -h), try objective(perturbing: p, i, by: h))
                let numeric = (plus - minus) / Double(2 * h)
                worst = max(worst, InputGradientPenaltyTests.relativeError(analytic, numeric))
                checked += 1
            }
        }
        print("D step with \(penalty): worst relative error \(worst), \(checked) checked")
        #expect(worst < 2e-2, "\(penalty): relative error \(worst)")
        #expect(checked == stepped.discriminator.parameterCount)
    }
}
