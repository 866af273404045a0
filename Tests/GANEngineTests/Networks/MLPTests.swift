import Testing
import GANEngine

@Suite struct MLPTests {
    /// L = Σ upstream ⊙ MLP(x) in Double.
    func weightedOutput(_ net: MLP, _ x: Matrix, _ upstream: [Float]) -> Double {
        let w = MLPWorkspace(for: net, rowCapacity: x.rows)
        w.input.copy(from: x)
        let y = net.forward(w, mode: .training)
        var sum = 0.0
        for i in 0..<y.count { sum += Double(y.data[i]) * Double(upstream[i]) }
        return sum
    }

    @Test(arguments: [false, true])
    func wholeNetworkGradients_matchFiniteDifferences(batchNorm: Bool) {
        var random = RandomSource(seed: 12)
        let net = MLP(inputWidth: 2, hiddenWidths: [5, 4], outputWidth: 2, activation: .tanh, outputActivation: .tanh,
                      batchNorm: batchNorm, initialization: .xavier, random: &random)
        // 32 rows keep every batch-norm column's variance well away from 0, where the map is too
        // curved for central differences.
        let rows = 32
        let x = GradientCheck.randomMatrix(rows: rows, columns: 2, random: &random)
        let upstream = (0..<2 * rows).map { _ in random.nextUniform(in: -1, 1) }
        let w = MLPWorkspace(for: net, rowCapacity: rows)
        w.input.copy(from: x)
        net.forward(w, mode: .training)
        for i in 0..<2 * rows { w.outputGradient.data[i] = upstream[i] }
        net.backward(w, computesParameterGradients: true, computesInputGradient: true)
        let analyticInput = w.inputGradient.values
        let analytic = net.parameters.map { $0.gradient.values }
        let h: Float = 5e-3
        var worst = 0.0
        for (index, parameter) in net.parameters.enumerated() {
            for i in 0..<parameter.value.count {
                let saved = parameter.value.data[i]
                parameter.value.data[i] = saved + h
                let plus = weightedOutput(net, x, upstream)
                parameter.value.data[i] = saved - h
                let minus = weightedOutput(net, x, upstream)
                parameter.value.data[i] = saved
                let numeric = (plus - minus) / Double(2 * h)
                let e = abs(numeric - Double(analytic[index][i])) / max(1, abs(numeric))
                worst = max(worst, e)
            }
        }
        for i in 0..<x.count {
            let saved = x.data[i]
            x.data[i] = saved + h
            let plus = weightedOutput(net, x, upstream)
            x.data[i] = saved - h
            let minus = weightedOutput(net, x, upstream)
            x.data[i] = saved
            let numeric = (plus - minus) / Double(2 * h)
            worst = max(worst, abs(numeric - Double(analyticInput[i])) / max(1, abs(numeric)))
        }
        #expect(worst < 5e-3, "relative error \(worst)")
    }

    @Test(arguments: [false, true])
    func aForwardOnlyWorkspace_givesTheSameOutput_withoutGradientBuffers(batchNorm: Bool) {
        var random = RandomSource(seed: 3)
        let net = MLP(inputWidth: 2, hiddenWidths: [16, 16, 16], outputWidth: 1, activation: .relu, outputActivation: .linear,
                      batchNorm: batchNorm, initialization: .xavier, random: &random)
        let x = GradientCheck.randomMatrix(rows: 300, columns: 2, random: &random)
        let full = MLPWorkspace(for: net, rowCapacity: 300), lean = MLPWorkspace(for: net, rowCapacity: 300, isForwardOnly: true)
        for w in [full, lean] { w.input.copy(from: x) }
        #expect(net.forward(lean, mode: .inference).values == net.forward(full, mode: .inference).values)
        #expect(lean.isForwardOnly && lean.gradients.allSatisfy { $0.rows == 0 })
        // Hidden activations: two buffers per width, never the same on both sides of a layer.
        let hidden = Set(lean.activations.dropFirst().dropLast().map(ObjectIdentifier.init))
        #expect(hidden.count == 2 * Set(lean.activations.dropFirst().dropLast().map(\.columns)).count)
        for i in 1..<lean.activations.count { #expect(lean.activations[i] !== lean.activations[i - 1]) }
        // Inferring by blocks (no batch norm), the hidden buffers hold one block of the 300 rows, not all of them.
        #expect(lean.hiddenRowsAreBlocks == !batchNorm)
        let hiddenCapacity = lean.activations.dropFirst().dropLast().map { $0.rows }.max() ?? 0
        #expect(batchNorm ? hiddenCapacity == 300 : hiddenCapacity == MLP.inferenceBlockRows)
        lean.setRows(120)   // fewer rows later, as the views do
        #expect(lean.input.rows == 120 && lean.outputGradient.rows == 0)
        #expect(net.forward(lean, mode: .inference).rows == 120)
    }

    /// Inference by row blocks (`MLP+Inference.swift`) against the training pass by pairs (`MLP+FusedPairs.swift`;
    /// without batch norm it computes the same functions): the same outputs and activations up to rounding, and a
    /// `backward` after either gives the same input gradients, as the views' arrows need. 300 rows: two full blocks
    /// and a partial one.
    @Test(arguments: [(Activation.leakyReLU(slope: 0.2), Activation.tanh, 2), (.relu, .linear, 1)])
    func inferenceByBlocks_matchesTheLayerByLayerPass(hidden: Activation, output: Activation, outputWidth: Int) {
        var random = RandomSource(seed: 8)
        let net = MLP(inputWidth: 2, hiddenWidths: [64, 64, 64], outputWidth: outputWidth, activation: hidden,
                      outputActivation: output, initialization: .xavier, random: &random)
        let rows = 300
        #expect(rows > 2 * MLP.inferenceBlockRows)
        let x = GradientCheck.randomMatrix(rows: rows, columns: 2, random: &random)
        let blocked = MLPWorkspace(for: net, rowCapacity: rows), layered = MLPWorkspace(for: net, rowCapacity: rows)
        for w in [blocked, layered] { w.input.copy(from: x) }
        net.forward(blocked, mode: .inference)
        net.forward(layered, mode: .training)
        // Every layer's output but the pre-activations, which neither pass keeps (MLP+FusedPairs.swift).
        let kept = blocked.activations.indices.filter { $0 == 0 || $0 == net.layers.count || !(net.layers[$0 - 1] is Dense) }
        for (b, l) in kept.map({ (blocked.activations[$0], layered.activations[$0]) }) {
            #expect(b.rows == rows)
            let worst = zip(b.values, l.values).map { abs($0 - $1) / max(1, abs($1)) }.max()!
            #expect(worst < 1e-5, "activation of width \(b.columns): \(worst)")
        }
        for w in [blocked, layered] {
            w.outputGradient.fill(1)
            net.backward(w, computesParameterGradients: false, computesInputGradient: true)
        }
        let worst = zip(blocked.inputGradient.values, layered.inputGradient.values).map { abs($0 - $1) / max(1, abs($1)) }.max()!
        #expect(worst < 1e-4, "input gradients: \(worst)")
    }

    @Test func layout_matchesConfiguration() {
        var random = RandomSource(seed: 1)
        let net = MLP(inputWidth: 2, hiddenWidths: [8, 8], outputWidth: 1, activation: .relu, outputActivation: .linear, random: &random)
        #expect(net.denseLayers.map(\.outputWidth) == [8, 8, 1])
        #expect(net.parameterCount == 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1)
        #expect(net.multiplyAddsPerRow == 16 + 64 + 8)
        let empty = MLP(inputWidth: 3, hiddenWidths: [], outputWidth: 2, activation: .relu, outputActivation: .tanh, random: &random)
        #expect(empty.denseLayers.count == 1 && empty.layers.count == 2)
    }

    @Test func clipping_boundsEveryParameter() {
        var random = RandomSource(seed: 1)
        let net = MLP(inputWidth: 2, hiddenWidths: [16], outputWidth: 1, activation: .relu, outputActivation: .linear, random: &random)
        net.clipParameters(to: 0.01)
        #expect(net.flattenedParameters.allSatisfy { abs($0) <= 0.01 })
    }
}
