import Testing
import GANEngine

@Suite struct OptimizerTests {
    /// One parameter w = [1, −2] with constant gradient g = [0.5, −1].
    func makeParameter() -> Parameter {
        let p = Parameter(rows: 1, columns: 2, name: "w")
        p.value.data[0] = 1; p.value.data[1] = -2
        p.gradient.data[0] = 0.5; p.gradient.data[1] = -1
        return p
    }

    func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test func sgd_stepsAgainstTheGradient() {
        let p = makeParameter()
        let o = Optimizer(OptimizerConfiguration(kind: .sgd, learningRate: 0.1), parameters: [p])
        o.step()
        #expect(close(p.value.values, [0.95, -1.9]))
    }

    @Test func momentum_accumulatesVelocity() {
        // v1 = g, w1 = w − ηg; v2 = 0.9g + g = 1.9g, w2 = w1 − 1.9ηg.
        let p = makeParameter()
        let o = Optimizer(OptimizerConfiguration(kind: .momentum, learningRate: 0.1, momentum: 0.9), parameters: [p])
        o.step(); o.step()
        #expect(close(p.value.values, [1 - 0.05 - 0.095, -2 + 0.1 + 0.19]))
    }

    @Test func adam_firstStepsMoveByLearningRate() {
        // With a constant gradient the bias-corrected m̂/√v̂ = sign(g) at every step, so each step moves η.
        let p = makeParameter()
        let o = Optimizer(OptimizerConfiguration(kind: .adam, learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8), parameters: [p])
        o.step()
        #expect(close(p.value.values, [0.99, -1.99], 1e-6))
        o.step()
        #expect(close(p.value.values, [0.98, -1.98], 1e-6))
    }

    @Test func adam_worksByHandWithChangingGradient() {
        // g1 = 1, g2 = 0 (β1 .5, β2 .5, ε 0, η 1): m1 = .5, v1 = .5, m̂ = 1, v̂ = 1 → w = −1;
        // m2 = .25, v2 = .25, m̂ = .25/.75 = 1/3, v̂ = .25/.75 = 1/3 → step (1/3)/√(1/3) = 0.57735 → w = −1.57735.
        let p = Parameter(rows: 1, columns: 1, name: "w")
        let o = Optimizer(OptimizerConfiguration(kind: .adam, learningRate: 1, beta1: 0.5, beta2: 0.5, epsilon: 0), parameters: [p])
        p.gradient.data[0] = 1
        o.step()
        #expect(abs(p.value.data[0] + 1) < 1e-6)
        p.gradient.data[0] = 0
        o.step()
        #expect(abs(p.value.data[0] + 1.5773503) < 1e-5)
    }

    @Test func rmsprop_worksByHand() {
        // r1 = 0.1·g² → step η·g/√(0.1g²) = η·sign(g)·√10 (ε = 0).
        let p = makeParameter()
        let o = Optimizer(OptimizerConfiguration(kind: .rmsprop, learningRate: 0.01, rmsDecay: 0.9, epsilon: 0), parameters: [p])
        o.step()
        let step: Float = 0.01 * 10.0.squareRoot().float
        #expect(close(p.value.values, [1 - step, -2 + step], 1e-6))
    }

    @Test func changingLearningRate_keepsState() {
        let a = OptimizerConfiguration(kind: .adam, learningRate: 0.1)
        var b = a
        b.learningRate = 0.01
        #expect(a.canKeepState(switchingTo: b))
        b.kind = .rmsprop
        #expect(!a.canKeepState(switchingTo: b))
    }
}

extension Double {
    var float: Float { Float(self) }
}
