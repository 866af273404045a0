import Testing
import GANEngine

/// The double backward through D: ∂P/∂θ for P a penalty of ∇ₓs, checked against central differences of P.
@Suite struct InputGradientPenaltyTests {
    /// |analytic − numeric| relative to the larger of the two, or to `floor` where both are smaller: a relative
    /// error for every coordinate, with a floor above the central difference's float round-off (P is a Float sum:
    /// a few ulp of P over 2h is ≈ 1e-4 here at h = 1e-2).
    static func relativeError(_ analytic: Double, _ numeric: Double, floor: Double = 1e-2) -> Double {
        abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
    }

    static let activations: [Activation] = [.tanh, .leakyReLU(slope: 0.2), .relu]
    static let penalties: [InputGradientPenalty] = [.zeroCentred(weight: 2.5), .oneCentred(weight: 3)]

    /// P at the current parameters (the gradients it adds are ignored).
    func penalty(_ net: MLP, _ x: Matrix, _ kind: InputGradientPenalty) -> Double {
        let w = PenaltyWorkspace(for: net, rowCapacity: x.rows)
        w.input.copy(from: x)
        return Double(net.addInputGradientPenalty(w, rows: x.rows, penalty: kind))
    }

    @Test(arguments: 0..<activations.count, 0..<penalties.count)
    func parameterGradient_matchesFiniteDifferences(_ a: Int, _ p: Int) {
        let activation = Self.activations[a], kind = Self.penalties[p]
        for hidden in [[6, 5], [], [4]] {
            var random = RandomSource(seed: UInt64(31 + a + 10 * p + hidden.count))
            let net = MLP(inputWidth: 2, hiddenWidths: hidden, outputWidth: 1, activation: activation, outputActivation: .linear,
                          initialization: .xavier, random: &random)
            // Non-zero biases so ReLU kinks sit away from the sample points.
            for layer in net.denseLayers { for i in 0..<layer.bias.value.count { layer.bias.value.data[i] = random.nextUniform(in: -0.5, 0.5) } }
            let x = GradientCheck.randomMatrix(rows: 12, columns: 2, random: &random)
            for parameter in net.parameters { parameter.gradient.fill(0) }
            let w = PenaltyWorkspace(for: net, rowCapacity: 12)
            w.input.copy(from: x)
            net.addInputGradientPenalty(w, rows: 12, penalty: kind)
            let analytic = net.parameters.map { $0.gradient.values }
            // Between kinks, R1 of a (leaky) ReLU network is quadratic in any one weight, so central differences are
            // exact but for round-off; for tanh their truncation error at h = 1e-2 is O(h²) ≈ 1e-4 relative.
            let h: Float = 1e-2
            var worst = 0.0, checked = 0, kinked = 0
            for (index, parameter) in net.parameters.enumerated() {
                for i in 0..<parameter.value.count {
                    // A (leaky) ReLU unit changing side at a sample within ±h makes ∇ₓs jump: P is not differentiable
                    // there, so skip the coordinate (found exactly, from the signs of every hidden pre-activation).
                    var patterns: [[Bool]] = []
                    _ = GradientCheck.probe(parameter.value.data, i, h: h) { patterns.append(Self.signs(net, x)); return 0 }
                    if activation != .tanh && Set(patterns).count > 1 { kinked += 1; continue }
                    let (minus, _, plus) = GradientCheck.probe(parameter.value.data, i, h: h) { penalty(net, x, kind) }
                    let numeric = (plus - minus) / Double(2 * h)
                    let error = Self.relativeError(Double(analytic[index][i]), numeric)
                    if error > 2e-2 { print("MISMATCH \(activation) \(kind) \(hidden) \(parameter.name)[\(i)]: numeric \(numeric) analytic \(analytic[index][i])") }
                    worst = max(worst, error)
                    checked += 1
                }
            }
            print("double backward \(activation) \(kind) \(hidden): worst relative error \(worst), \(checked) checked, \(kinked) kinked")
            #expect(worst < 2e-2, "\(activation) \(kind) \(hidden): relative error \(worst)")
            #expect(kinked <= (checked + kinked) / 3, "\(kinked) kinked of \(checked + kinked)")
        }
    }

    /// Which side of 0 every hidden pre-activation lies on, for every row of `x`: the network's kink pattern.
    static func signs(_ net: MLP, _ x: Matrix) -> [Bool] {
        let w = MLPWorkspace(for: net, rowCapacity: x.rows)
        w.setRows(x.rows)
        w.input.copy(from: x)
        _ = net.forward(w, mode: .training)
        var signs: [Bool] = []
        for (i, layer) in net.layers.enumerated().dropLast() where layer is Dense {
            // The activation's output: (leaky) ReLU's is > 0 exactly where its input is (training keeps no
            // pre-activations, MLP+FusedPairs.swift).
            let y = w.activations[i + 2]
            for k in 0..<y.count { signs.append(y.data[k] > 0) }
        }
        return signs
    }

    @Test func penaltyValue_isTheMeanSquaredInputGradient() {
        // A linear D: s = x·W + b, ∇ₓs = Wᵀ everywhere, so R1 = γ/2·‖W‖² and ∂/∂W = γW exactly.
        var random = RandomSource(seed: 5)
        let net = MLP(inputWidth: 2, hiddenWidths: [], outputWidth: 1, activation: .relu, outputActivation: .linear, random: &random)
        let weight = net.denseLayers[0].weight.value
        weight.data[0] = 0.6; weight.data[1] = -0.8
        let x = GradientCheck.randomMatrix(rows: 7, columns: 2, random: &random)
        for parameter in net.parameters { parameter.gradient.fill(0) }
        let w = PenaltyWorkspace(for: net, rowCapacity: 7)
        w.input.copy(from: x)
        let p = net.addInputGradientPenalty(w, rows: 7, penalty: .zeroCentred(weight: 4))
        #expect(abs(p - 2) < 1e-6)  // 4/2 · (0.36 + 0.64)
        #expect(abs(net.denseLayers[0].weight.gradient.data[0] - 2.4) < 1e-5)
        #expect(abs(net.denseLayers[0].weight.gradient.data[1] + 3.2) < 1e-5)
        #expect(net.denseLayers[0].bias.gradient.data[0] == 0)
        // WGAN-GP at ‖∇ₓs‖ = 1: no penalty and no gradient.
        for parameter in net.parameters { parameter.gradient.fill(0) }
        #expect(abs(net.addInputGradientPenalty(w, rows: 7, penalty: .oneCentred(weight: 10))) < 1e-10)
        #expect(abs(net.denseLayers[0].weight.gradient.data[0]) < 1e-5)
    }

    @Test func penaltyGradient_isAddedToTheExistingGradient() {
        var random = RandomSource(seed: 6)
        let net = MLP(inputWidth: 2, hiddenWidths: [4], outputWidth: 1, activation: .tanh, outputActivation: .linear, random: &random)
        let x = GradientCheck.randomMatrix(rows: 5, columns: 2, random: &random)
        let w = PenaltyWorkspace(for: net, rowCapacity: 5)
        w.input.copy(from: x)
        for parameter in net.parameters { parameter.gradient.fill(0) }
        net.addInputGradientPenalty(w, rows: 5, penalty: .zeroCentred(weight: 1))
        let once = net.parameters.flatMap { $0.gradient.values }
        net.addInputGradientPenalty(w, rows: 5, penalty: .zeroCentred(weight: 1))
        let twice = net.parameters.flatMap { $0.gradient.values }
        #expect(zip(once, twice).allSatisfy { abs(2 * $0 - $1) <= 1e-5 * max(1, abs($1)) })
    }
}
