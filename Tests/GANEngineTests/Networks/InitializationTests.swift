import Testing
import GANEngine

@Suite struct InitializationTests {
    @Test(arguments: Initialization.allCases)
    func weights_haveTheDocumentedSpreadAndZeroBias(_ scheme: Initialization) {
        var random = RandomSource(seed: 8)
        let layer = Dense(inputWidth: 64, outputWidth: 128)
        layer.bias.value.fill(3)
        scheme.apply(to: layer, random: &random)
        let w = layer.weight.value.values
        let variance = w.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(w.count)
        let expected: Double
        switch scheme {
        case .ganLab: expected = 1.0 / 64
        case .xavier: expected = 2.0 / (64 + 128)
        case .he: expected = 2.0 / 64
        }
        #expect(abs(variance / expected - 1) < 0.05, "\(scheme): variance \(variance), expected \(expected)")
        #expect(layer.bias.value.values.allSatisfy { $0 == 0 })
    }
}
