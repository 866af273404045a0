import Testing
import GANEngine

@Suite struct BatchNormTests {
    @Test func gradients_matchFiniteDifferences() {
        var random = RandomSource(seed: 21)
        let layer = BatchNorm(width: 4)
        for i in 0..<4 {
            layer.scale.value.data[i] = random.nextUniform(in: 0.5, 1.5)
            layer.shift.value.data[i] = random.nextUniform(in: -0.5, 0.5)
        }
        let x = GradientCheck.randomMatrix(rows: 12, columns: 4, low: -2, high: 2, random: &random)
        let upstream = GradientCheck.randomMatrix(rows: 12, columns: 4, random: &random)
        let error = GradientCheck.maximumError(layer: layer, input: x, upstream: upstream, mode: .training, h: 1e-2)
        #expect(error < 5e-3, "relative error \(error)")
    }

    @Test func training_normalisesEachColumn() {
        var random = RandomSource(seed: 2)
        let layer = BatchNorm(width: 3)
        let x = GradientCheck.randomMatrix(rows: 50, columns: 3, low: 3, high: 9, random: &random)
        let y = Matrix(rows: 50, columns: 3)
        layer.forward(x, into: y, mode: .training)
        for j in 0..<3 {
            var mean = 0.0, square = 0.0
            for r in 0..<50 { mean += Double(y[r, j]); square += Double(y[r, j] * y[r, j]) }
            #expect(abs(mean / 50) < 1e-5)
            #expect(abs(square / 50 - 1) < 1e-3)
        }
    }

    @Test func inference_usesRunningStatistics() {
        let layer = BatchNorm(width: 1, momentum: 1)  // running stats = last batch
        let x = Matrix(rows: 4, columns: 1, values: [1, 2, 3, 4])
        let y = Matrix(rows: 4, columns: 1)
        layer.forward(x, into: y, mode: .training)
        #expect(abs(layer.runningMean[0, 0] - 2.5) < 1e-6)
        #expect(abs(layer.runningVariance[0, 0] - 5.0 / 3.0) < 1e-5)  // unbiased
        let one = Matrix(rows: 1, columns: 1, values: [2.5])
        let out = Matrix(rows: 1, columns: 1)
        layer.forward(one, into: out, mode: .inference)
        #expect(abs(out[0, 0]) < 1e-6)
        #expect(abs(layer.runningMean[0, 0] - 2.5) < 1e-6)  // inference changes nothing
    }
}
