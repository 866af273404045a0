import Testing
@testable import GANEngine

/// The batch-in-lanes network against its reference, the general `MLP` path (itself checked by finite
/// differences in MLPTests): outputs, parameter gradients and input gradients, for every activation,
/// shapes from 0 to 3 hidden layers and batch sizes that do and do not fill the last group of eight.
@Suite struct FusedMLPTests {
    static let shapes: [(input: Int, hidden: [Int], output: Int)] = [
        (2, [8, 8], 1), (2, [8, 8], 2), (3, [], 2), (1, [5], 1), (2, [13, 4, 9], 2), (8, [32, 32], 1), (2, [16], 1),
    ]
    static let activations: [Activation] = [.relu, .leakyReLU(slope: 0.2), .tanh, .sigmoid]
    static let rowCounts = [1, 7, 8, 9, 150]

    /// A network with random weights and random (non-zero) biases.
    static func makeNetwork(_ shape: (input: Int, hidden: [Int], output: Int), activation: Activation,
                            output: Activation, random: inout RandomSource) -> MLP {
        let net = MLP(inputWidth: shape.input, hiddenWidths: shape.hidden, outputWidth: shape.output,
                      activation: activation, outputActivation: output, random: &random)
        for layer in net.denseLayers {
            for j in 0..<layer.bias.value.count { layer.bias.value.data[j] = random.nextUniform(in: -0.5, 0.5) }
        }
        return net
    }

    static func worstDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
        var worst: Float = 0
        for i in a.indices { worst = max(worst, abs(a[i] - b[i]) / max(1, abs(b[i]))) }
        return worst
    }

    @Test(arguments: activations)
    func forwardAndBackward_matchTheGeneralPath(activation: Activation) {
        var random = RandomSource(seed: 41)
        for shape in Self.shapes {
            for output in [Activation.linear, .tanh] {
                for rows in Self.rowCounts {
                    let net = Self.makeNetwork(shape, activation: activation, output: output, random: &random)
                    let x = GradientCheck.randomMatrix(rows: rows, columns: shape.input, random: &random)
                    let upstream = GradientCheck.randomMatrix(rows: rows, columns: shape.output, random: &random)
                    // Reference: the general path.
                    let workspace = MLPWorkspace(for: net, rowCapacity: rows)
                    workspace.input.copy(from: x)
                    let y = net.forward(workspace, mode: .training).values
                    workspace.outputGradient.copy(from: upstream)
                    net.backward(workspace, computesParameterGradients: true, computesInputGradient: true)
                    let dx = workspace.inputGradient.values
                    let gradients = net.parameters.map { $0.gradient.values }
                    for parameter in net.parameters { parameter.gradient.fill(.nan) }
                    // The fused path on the same network and rows.
                    let groups = FusedMLP.groups(for: rows)
                    guard let fused = FusedMLP(network: net, groupCapacity: groups) else {
                        Issue.record("no fused network for \(shape)")
                        return
                    }
                    fused.setInput(rows: x.data, count: rows, firstGroup: 0)
                    fused.forward(groupCount: groups)
                    fused.setOutputGradient(rows: upstream.data, count: rows)
                    fused.backward(groupCount: groups, computesInputGradient: true)
                    fused.writeParameterGradients(groupCount: groups)
                    let label = "\(activation) \(shape) → \(output), \(rows) rows"
                    #expect(Self.worstDifference(fused.output(count: rows), y) < 1e-5, "output, \(label)")
                    #expect(Self.worstDifference(fused.inputGradient(count: rows), dx) < 1e-5, "dx, \(label)")
                    for (index, parameter) in net.parameters.enumerated() {
                        let worst = Self.worstDifference(parameter.gradient.values, gradients[index])
                        #expect(worst < 1e-5, "\(parameter.name), \(label): \(worst)")
                    }
                }
            }
        }
    }

    @Test func batchNorm_isNotFused() {
        var random = RandomSource(seed: 1)
        let net = MLP(inputWidth: 2, hiddenWidths: [8], outputWidth: 2, activation: .relu, outputActivation: .tanh,
                      batchNorm: true, random: &random)
        #expect(FusedMLP(network: net, groupCapacity: 4) == nil)
        #expect(!FusedMLP.supports(net))
    }

    @Test func growingTheBatch_keepsResultsExact() {
        // A path built for 8 samples, then asked for 150, gives the same gradients as one built for 150.
        var random = RandomSource(seed: 5)
        let net = Self.makeNetwork((2, [8, 8], 1), activation: .relu, output: .linear, random: &random)
        let x = GradientCheck.randomMatrix(rows: 150, columns: 2, random: &random)
        let upstream = GradientCheck.randomMatrix(rows: 150, columns: 1, random: &random)
        func gradients(capacity: Int) -> [Float] {
            let fused = FusedMLP(network: net, groupCapacity: capacity)!
            fused.reserve(groups: 19)
            fused.setInput(rows: x.data, count: 150, firstGroup: 0)
            fused.forward(groupCount: 19)
            fused.setOutputGradient(rows: upstream.data, count: 150)
            fused.backward(groupCount: 19, computesInputGradient: false)
            fused.writeParameterGradients(groupCount: 19)
            return net.parameters.flatMap { $0.gradient.values }
        }
        #expect(gradients(capacity: 1) == gradients(capacity: 19))
    }
}
