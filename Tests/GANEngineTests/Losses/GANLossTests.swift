import Testing
import GANEngine

@Suite struct GANLossTests {
    /// Nineteen scores: two full eight-lane blocks and a scalar tail.
    static let scores: [Float] = [-30, -4, -0.7, 0, 0.3, 2.5, 30, -12, -2, -1e-3, 1e-3, 0.9, 1.7, 5, 11, -0.2, 0.05, -6, 3.3]

    /// Finite differences of the loss in Double through Float evaluations.
    func discriminatorError(_ loss: GANLoss, target: Float) -> Double {
        var real = Self.scores, fake = Self.scores.reversed().map { $0 * 0.5 }
        var gr = [Float](repeating: 0, count: real.count), gf = gr
        _ = loss.discriminatorLoss(real: real, realCount: real.count, fake: fake, fakeCount: fake.count,
                                   realTarget: target, realGradient: &gr, fakeGradient: &gf)
        var scratchR = gr, scratchF = gf
        let h: Float = 1e-2
        var worst = 0.0
        func value() -> Double {
            Double(loss.discriminatorLoss(real: real, realCount: real.count, fake: fake, fakeCount: fake.count,
                                          realTarget: target, realGradient: &scratchR, fakeGradient: &scratchF))
        }
        for i in real.indices where abs(real[i]) != 1 {  // hinge kinks at ±1
            let s = real[i]
            real[i] = s + h; let plus = value()
            real[i] = s - h; let minus = value()
            real[i] = s
            worst = max(worst, abs((plus - minus) / Double(2 * h) - Double(gr[i])))
        }
        for i in fake.indices where abs(fake[i]) != 1 {
            let s = fake[i]
            fake[i] = s + h; let plus = value()
            fake[i] = s - h; let minus = value()
            fake[i] = s
            worst = max(worst, abs((plus - minus) / Double(2 * h) - Double(gf[i])))
        }
        return worst
    }

    @Test(arguments: GANLoss.allCases)
    func discriminatorGradient_matchesFiniteDifferences(_ loss: GANLoss) {
        #expect(discriminatorError(loss, target: 1) < 2e-3)
        #expect(discriminatorError(loss, target: 0.9) < 2e-3)
    }

    @Test(arguments: GANLoss.allCases)
    func generatorGradient_matchesFiniteDifferences(_ loss: GANLoss) {
        var fake = Self.scores
        var g = [Float](repeating: 0, count: fake.count), scratch = g
        _ = loss.generatorLoss(fake: fake, count: fake.count, gradient: &g)
        let h: Float = 1e-2
        for i in fake.indices {
            let s = fake[i]
            fake[i] = s + h; let plus = Double(loss.generatorLoss(fake: fake, count: fake.count, gradient: &scratch))
            fake[i] = s - h; let minus = Double(loss.generatorLoss(fake: fake, count: fake.count, gradient: &scratch))
            fake[i] = s
            #expect(abs((plus - minus) / Double(2 * h) - Double(g[i])) < 2e-3, "\(loss) at \(s)")
        }
    }

    @Test(arguments: GANLoss.allCases)
    func saturatedScores_giveFiniteLossesAndGradients(_ loss: GANLoss) {
        let extreme: [Float] = [-1e30, -500, 500, 1e30]
        var gr = [Float](repeating: 0, count: 4), gf = gr, g = gr
        let d = loss.discriminatorLoss(real: extreme, realCount: 4, fake: extreme, fakeCount: 4,
                                       realGradient: &gr, fakeGradient: &gf)
        let l = loss.generatorLoss(fake: extreme, count: 4, gradient: &g)
        if loss != .leastSquares && loss != .hinge && loss != .wasserstein {
            #expect(d.isFinite && l.isFinite)
        }
        #expect((gr + gf + g).allSatisfy { $0.isFinite })
    }

    @Test(arguments: GANLoss.allCases)
    func batchedLoss_matchesOneScoreAtATime(_ loss: GANLoss) {
        let real = Self.scores, fake = Self.scores.map { -$0 * 0.7 }
        var gr = [Float](repeating: 0, count: real.count), gf = gr
        let batched = loss.discriminatorLoss(real: real, realCount: real.count, fake: fake, fakeCount: fake.count,
                                             realTarget: 0.9, realGradient: &gr, fakeGradient: &gf)
        var sum = 0.0
        var one: [Float] = [0], other: [Float] = [0]
        for i in real.indices {
            sum += Double(loss.discriminatorLoss(real: [real[i]], realCount: 1, fake: [fake[i]], fakeCount: 1,
                                                 realTarget: 0.9, realGradient: &one, fakeGradient: &other))
            #expect(abs(one[0] / Float(real.count) - gr[i]) < 1e-6)
            #expect(abs(other[0] / Float(fake.count) - gf[i]) < 1e-6)
        }
        #expect(abs(Double(batched) - sum / Double(real.count)) < 1e-5 * max(1, abs(sum)))
    }

    @Test(arguments: GANLoss.allCases)
    func batchedGeneratorLoss_matchesOneScoreAtATime(_ loss: GANLoss) {
        // 19 scores: the eight-lane blocks and the scalar tail must agree with single scores.
        let fake = Self.scores
        var g = [Float](repeating: 0, count: fake.count), one: [Float] = [0]
        let batched = loss.generatorLoss(fake: fake, count: fake.count, gradient: &g)
        var sum = 0.0
        for i in fake.indices {
            sum += Double(loss.generatorLoss(fake: [fake[i]], count: 1, gradient: &one))
            #expect(abs(one[0] / Float(fake.count) - g[i]) < 1e-6, "\(loss) at \(fake[i])")
        }
        #expect(abs(Double(batched) - sum / Double(fake.count)) < 1e-5 * max(1, abs(sum)))
    }

    @Test func logLoss_valuesAtKnownPoints() {
        // D(x) = 0.5 everywhere: L_D = 2·ln 2, L_G = ln 2 (non-saturating) and −ln 2 (saturating).
        var gr: [Float] = [0], gf: [Float] = [0], g: [Float] = [0]
        let zero: [Float] = [0]
        let d = GANLoss.nonSaturating.discriminatorLoss(real: zero, realCount: 1, fake: zero, fakeCount: 1, realGradient: &gr, fakeGradient: &gf)
        #expect(abs(d - 2 * 0.693147) < 1e-5)
        #expect(gr == [-0.5] && gf == [0.5])
        #expect(abs(GANLoss.nonSaturating.generatorLoss(fake: zero, count: 1, gradient: &g) - 0.693147) < 1e-5)
        #expect(abs(GANLoss.saturating.generatorLoss(fake: zero, count: 1, gradient: &g) + 0.693147) < 1e-5)
    }

    @Test func strongDiscriminator_saturatingGradientVanishesNonSaturatingDoesNot() {
        // D confidently rejects the fakes: score −10 (D ≈ 4.5e-5).
        let fake: [Float] = [-10]
        var g: [Float] = [0]
        _ = GANLoss.saturating.generatorLoss(fake: fake, count: 1, gradient: &g)
        #expect(abs(g[0]) < 1e-4)
        _ = GANLoss.nonSaturating.generatorLoss(fake: fake, count: 1, gradient: &g)
        #expect(abs(g[0]) > 0.99)
    }

    @Test func labelSmoothing_movesRealTarget() {
        // With target 0.9 the real gradient vanishes at σ(s) = 0.9, i.e. s = ln 9.
        var gr: [Float] = [0], gf: [Float] = [0]
        let s: [Float] = [Float(2.1972246)]
        _ = GANLoss.nonSaturating.discriminatorLoss(real: s, realCount: 1, fake: s, fakeCount: 0, realTarget: 0.9,
                                                    realGradient: &gr, fakeGradient: &gf)
        #expect(abs(gr[0]) < 1e-6)
    }
}
