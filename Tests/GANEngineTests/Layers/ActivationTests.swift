import Testing
import GANEngine

@Suite struct ActivationTests {
    static let all: [Activation] = [.relu, .leakyReLU(slope: 0.2), .tanh, .sigmoid, .linear]

    @Test(arguments: all)
    func gradients_matchFiniteDifferences(_ activation: Activation) {
        var random = RandomSource(seed: 5)
        let layer = ActivationLayer(activation, width: 6)
        // Keep inputs away from the ReLU kink at 0 so central differences never straddle it.
        let x = GradientCheck.randomMatrix(rows: 20, columns: 6, random: &random)
        for i in 0..<x.count where abs(x.data[i]) < 0.05 { x.data[i] += 0.1 }
        let upstream = GradientCheck.randomMatrix(rows: 20, columns: 6, random: &random)
        let error = GradientCheck.maximumError(layer: layer, input: x, upstream: upstream, h: 1e-2)
        #expect(error < 2e-3, "\(activation): relative error \(error)")
    }

    @Test func values_atKnownPoints() {
        let x = Matrix(rows: 1, columns: 3, values: [-2, 0, 3])
        let y = Matrix(rows: 1, columns: 3)
        ActivationLayer(.relu, width: 3).forward(x, into: y, mode: .inference)
        #expect(y.values == [0, 0, 3])
        ActivationLayer(.leakyReLU(slope: 0.2), width: 3).forward(x, into: y, mode: .inference)
        #expect(y.values == [-0.4, 0, 3])
        ActivationLayer(.sigmoid, width: 3).forward(x, into: y, mode: .inference)
        #expect(abs(y[0, 1] - 0.5) < 1e-7)
    }

    @Test func saturatedInputs_stayFinite() {
        let x = Matrix(rows: 1, columns: 2, values: [-1e30, 1e30])
        let y = Matrix(rows: 1, columns: 2)
        for activation in Self.all {
            ActivationLayer(activation, width: 2).forward(x, into: y, mode: .inference)
            #expect(y.isFinite || activation == .linear || activation == .relu || activation == .leakyReLU(slope: 0.2))
        }
        ActivationLayer(.tanh, width: 2).forward(x, into: y, mode: .inference)
        #expect(y.values == [-1, 1])
        ActivationLayer(.sigmoid, width: 2).forward(x, into: y, mode: .inference)
        #expect(y.values == [0, 1])
    }
}
