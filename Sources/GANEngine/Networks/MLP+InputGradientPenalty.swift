/// Buffers for one gradient-penalty pass over up to `rowCapacity` points: the network's forward and
/// input-gradient pass, and the adjoints of the double backward.
public final class PenaltyWorkspace {
    /// Forward activations a[i] and input gradients g[i] = ∂s/∂a[i] (the backward pass with ∂s/∂s = 1).
    public let network: MLPWorkspace
    /// adjoints[i] = ∂P/∂g[i]: how the penalty depends on each gradient of the backward pass.
    let adjoints: [Matrix]
    /// secondOrder[i] = ∂P/∂a[i] through the forward pass (only non-zero when an activation has f″ ≠ 0).
    let secondOrder: [Matrix]

    /// Buffers for `network` with room for `rowCapacity` rows.
    public init(for network: MLP, rowCapacity: Int) {
        self.network = MLPWorkspace(for: network, rowCapacity: rowCapacity)
        adjoints = self.network.activations.map { Matrix(rows: rowCapacity, columns: $0.columns) }
        secondOrder = self.network.activations.map { Matrix(rows: rowCapacity, columns: $0.columns) }
    }

    /// The points to penalise at: write `rows` of them, then call `addInputGradientPenalty`.
    public var input: Matrix { network.input }
}

extension MLP {
    /// Adds ∂P/∂θ to every parameter's gradient, where P is `penalty` of the input gradients ∇ₓs(x) at
    /// the rows of `workspace.input`, and returns P. The network must end in one output with no output
    /// activation and hold no batch norm (the discriminator).
    ///
    /// Forward a[0] = x, z = a·W + b, a′ = f(z); backward with ∂s/∂s = 1: g_a = g_z·Wᵀ, g_z = g_a′ ⊙ f′(z).
    /// P depends on g[0] = ∇ₓs. The double backward walks the backward pass in reverse, i.e. the layers
    /// in forward order, carrying ē = ∂P/∂g_a (llm.c-style shapes, N rows):
    /// - Dense (in → out), g_a = g_z·Wᵀ:  W̄ += ēᵀ·g_z (in, out);  ∂P/∂g_z = ē·W (N, out).
    /// - Activation, g_z = g_a′ ⊙ f′(z):  ∂P/∂g_a′ = ∂P/∂g_z ⊙ f′(z);  ∂P/∂z += ∂P/∂g_z ⊙ g_a′ ⊙ f″(z).
    /// - The output Dense has g_z = 1, so W̄ += ēᵀ·1 and the walk stops. Biases get nothing on this path.
    /// Then the second-order terms ∂P/∂z (non-zero only where f″ ≠ 0: tanh; ReLU and leaky ReLU have
    /// f″ = 0 almost everywhere) are backpropagated through the forward pass as an ordinary backward,
    /// giving W̄ += aᵀ·z̄ and b̄ += Σ z̄. Checked against finite differences of P in
    /// `InputGradientPenaltyTests`.
    @discardableResult
    public func addInputGradientPenalty(_ workspace: PenaltyWorkspace, rows: Int, penalty: InputGradientPenalty) -> Float {
        precondition(outputWidth == 1, "a gradient penalty needs a scalar score")
        precondition(!layers.contains { $0 is BatchNorm }, "a gradient penalty needs a network without batch norm")
        guard rows > 0 else { return 0 }
        let w = workspace.network
        w.setRows(rows)
        let a = w.activations, g = w.gradients, adjoint = workspace.adjoints, second = workspace.secondOrder
        for m in adjoint { m.setRows(rows) }
        for m in second { m.setRows(rows) }

        // Forward, then the backward with ∂s/∂s = 1 for every row: g[i] = ∂s/∂a[i] (input gradient included).
        forward(w, mode: .training)
        w.outputGradient.fill(1)
        backward(w, computesParameterGradients: false, computesInputGradient: true)

        // P and its seed ē[0] = ∂P/∂g[0] (N, inputWidth).
        let value = Self.seed(penalty, gradients: g[0], into: adjoint[0], rows: rows)

        // Double backward, layers in forward order.
        var hasSecondOrder = false
        for index in layers.indices {
            let layer = layers[index]
            let ebar = adjoint[index]
            if let dense = layer as? Dense {
                let inWidth = dense.inputWidth, out = dense.outputWidth
                let gz = g[index + 1]
                // W̄ (in, out) += ēᵀ (in, N) · g_z (N, out)
                GEMM.multiply(.transposed, .none, m: inWidth, n: out, k: rows, a: ebar.data, lda: inWidth,
                              b: gz.data, ldb: out, beta: 1, c: dense.weight.gradient.data, ldc: out, backend: dense.backend)
                if index == layers.count - 1 { break }  // the output layer: g_z = 1 is a constant
                // ∂P/∂g_z (N, out) = ē (N, in) · W (in, out)
                GEMM.multiply(.none, .none, m: rows, n: out, k: inWidth, a: ebar.data, lda: inWidth,
                              b: dense.weight.value.data, ldb: out, beta: 0, c: adjoint[index + 1].data, ldc: out,
                              backend: dense.backend)
            } else if let activation = layer as? ActivationLayer {
                // In: ∂P/∂g_z at adjoint[index]; y = a[index + 1]; g_a′ = g[index + 1].
                let count = rows * activation.inputWidth
                let dz = adjoint[index].data, y = a[index + 1].data, gOut = g[index + 1].data
                let next = adjoint[index + 1].data, zbar = second[index].data
                switch activation.activation {
                case .relu:
                    for i in 0..<count { next[i] = y[i] > 0 ? dz[i] : 0 }
                case .leakyReLU(let slope):
                    for i in 0..<count { next[i] = y[i] > 0 ? dz[i] : slope * dz[i] }
                case .tanh:
                    // f′ = 1 − y², f″ = −2y(1 − y²)
                    for i in 0..<count {
                        let d1 = 1 - y[i] * y[i]
                        next[i] = dz[i] * d1
                        zbar[i] = dz[i] * gOut[i] * (-2 * y[i] * d1)
                    }
                    hasSecondOrder = true
                case .sigmoid:
                    // f′ = y(1 − y), f″ = y(1 − y)(1 − 2y)
                    for i in 0..<count {
                        let d1 = y[i] * (1 - y[i])
                        next[i] = dz[i] * d1
                        zbar[i] = dz[i] * gOut[i] * d1 * (1 - 2 * y[i])
                    }
                    hasSecondOrder = true
                case .linear:
                    next.update(from: dz, count: count)
                }
            } else {
                preconditionFailure("unexpected layer in a penalised network")
            }
        }
        if hasSecondOrder { backpropagateSecondOrder(workspace, rows: rows) }
        return value
    }

    /// P and ē = ∂P/∂g for the per-row gradients g (N, d).
    private static func seed(_ penalty: InputGradientPenalty, gradients g: Matrix, into ebar: Matrix, rows: Int) -> Float {
        let d = g.columns
        var sum = 0.0
        switch penalty {
        case .zeroCentred(let gamma):
            let scale = gamma / Float(rows)
            for i in 0..<rows * d {
                sum += Double(g.data[i]) * Double(g.data[i])
                ebar.data[i] = scale * g.data[i]
            }
            return Float(0.5 * Double(gamma) * sum / Double(rows))
        case .oneCentred(let lambda):
            for r in 0..<rows {
                let row = g.data + r * d, out = ebar.data + r * d
                var squared: Float = 0
                for j in 0..<d { squared += row[j] * row[j] }
                let norm = (squared + 1e-12).squareRoot()
                sum += Double((norm - 1) * (norm - 1))
                let scale = 2 * lambda / Float(rows) * (norm - 1) / norm
                for j in 0..<d { out[j] = scale * row[j] }
            }
            return Float(Double(lambda) * sum / Double(rows))
        }
    }

    /// Backpropagates the second-order adjoints z̄ (at each activation's input) through the forward pass:
    /// r_z = r_a′ ⊙ f′(z) + z̄ at an activation; W̄ += aᵀ·r_z, b̄ += Σ r_z, r_a = r_z·Wᵀ at a Dense.
    private func backpropagateSecondOrder(_ workspace: PenaltyWorkspace, rows: Int) {
        let a = workspace.network.activations, zbar = workspace.secondOrder
        // r lives in the adjoint buffers, which the first walk no longer needs.
        let r = workspace.adjoints
        r[layers.count].fill(0)
        for index in layers.indices.reversed() {
            let layer = layers[index]
            if let activation = layer as? ActivationLayer {
                let count = rows * activation.inputWidth
                let y = a[index + 1].data, rOut = r[index + 1].data, rIn = r[index].data, extra = zbar[index].data
                ActivationLayer.applyDerivative(activation.activation, output: y, outputGradient: rOut, into: rIn, count: count)
                switch activation.activation {
                case .tanh, .sigmoid: for i in 0..<count { rIn[i] += extra[i] }
                default: break
                }
            } else if let dense = layer as? Dense {
                let inWidth = dense.inputWidth, out = dense.outputWidth
                let rz = r[index + 1]
                // W̄ (in, out) += aᵀ (in, N) · r_z (N, out);  b̄ += Σ_rows r_z
                GEMM.multiply(.transposed, .none, m: inWidth, n: out, k: rows, a: a[index].data, lda: inWidth,
                              b: rz.data, ldb: out, beta: 1, c: dense.weight.gradient.data, ldc: out, backend: dense.backend)
                for row in 0..<rows {
                    for j in 0..<out { dense.bias.gradient.data[j] += rz.data[row * out + j] }
                }
                if index > 0 {
                    // r_a (N, in) = r_z (N, out) · Wᵀ
                    GEMM.multiply(.none, .transposed, m: rows, n: inWidth, k: out, a: rz.data, lda: out,
                                  b: dense.weight.value.data, ldb: out, beta: 0, c: r[index].data, ldc: inWidth,
                                  backend: dense.backend)
                }
            }
        }
    }
}
