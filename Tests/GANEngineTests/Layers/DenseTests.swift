import Testing
import GANEngine

@Suite struct DenseTests {
    @Test func forward_computesAffineMap() {
        let layer = Dense(inputWidth: 2, outputWidth: 1)
        layer.weight.value.data[0] = 2
        layer.weight.value.data[1] = -1
        layer.bias.value.data[0] = 0.5
        let x = Matrix(rows: 2, columns: 2, values: [1, 1, 3, 0])
        let y = Matrix(rows: 2, columns: 1)
        layer.forward(x, into: y, mode: .training)
        #expect(y.values == [1.5, 6.5])
    }

    @Test(arguments: [(150, 2, 8), (5, 8, 8), (3, 8, 1), (40, 300, 7)])
    func gradients_matchFiniteDifferences(_ shape: (Int, Int, Int)) {
        let (rows, inWidth, outWidth) = shape
        var random = RandomSource(seed: 11)
        let layer = Dense(inputWidth: inWidth, outputWidth: outWidth)
        Initialization.ganLab.apply(to: layer, random: &random)
        for i in 0..<outWidth { layer.bias.value.data[i] = random.nextUniform(in: -1, 1) }
        let x = GradientCheck.randomMatrix(rows: rows, columns: inWidth, random: &random)
        let upstream = GradientCheck.randomMatrix(rows: rows, columns: outWidth, random: &random)
        let error = GradientCheck.maximumError(layer: layer, input: x, upstream: upstream)
        #expect(error < 2e-3, "relative error \(error)")
    }
}
