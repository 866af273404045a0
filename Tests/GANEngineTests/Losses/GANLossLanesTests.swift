import Testing
@testable import GANEngine

/// The fused path's eight-lane generator loss against its reference, `generatorLoss`.
@Suite struct GANLossLanesTests {
    @Test(arguments: GANLoss.allCases)
    func laneGeneratorLoss_matchesTheScalarLoss(_ loss: GANLoss) {
        // 19 scores (two full blocks and a tail), 16 (no tail), 5 (tail only), saturated ones included.
        for count in [19, 16, 5] {
            let fake = Array(GANLossTests.scores.prefix(count))
            var reference = [Float](repeating: 0, count: count), lanes = reference
            let expected = loss.generatorLoss(fake: fake, count: count, gradient: &reference)
            let value = loss.laneGeneratorLoss(fake: fake, count: count, gradient: &lanes)
            #expect(abs(value - expected) < 1e-5 * max(1, abs(expected)), "\(loss), \(count) scores")
            for i in 0..<count { #expect(abs(lanes[i] - reference[i]) < 1e-7, "\(loss) at \(fake[i])") }
        }
    }
}
