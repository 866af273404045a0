import Testing
import GANEngine

@Suite struct AliasTableTests {
    @Test func frequencies_matchArbitraryWeights() {
        var setup = RandomSource(seed: 31)
        let weights = (0..<50).map { _ in setup.nextUniform() * setup.nextUniform() * 10 }
        let total = weights.reduce(0, +)
        let table = AliasTable(weights: weights)
        var random = RandomSource(seed: 32)
        var counts = [Int](repeating: 0, count: weights.count)
        let draws = 500_000
        for _ in 0..<draws { counts[table.nextIndex(using: &random)] += 1 }
        for (count, weight) in zip(counts, weights) {
            let expected = Double(weight / total)
            // Four binomial standard deviations.
            let tolerance = 4 * (expected * (1 - expected) / Double(draws)).squareRoot() + 1e-4
            #expect(abs(Double(count) / Double(draws) - expected) < tolerance)
        }
    }

    @Test func singleWeight_alwaysGivesIndexZero() {
        let table = AliasTable(weights: [3])
        var random = RandomSource(seed: 1)
        #expect((0..<100).allSatisfy { _ in table.nextIndex(using: &random) == 0 })
    }
}
