/// Training passes that treat each Dense → activation pair as one step (networks without batch norm).
///
/// Layer by layer, a training step made four elementwise passes over every hidden activation besides the products:
/// the bias rows written before the product, the activation after it, the activation's derivative, and the bias
/// gradient's column sums (together 16–20 % of `bench large`). Here the product goes straight into the activation's
/// output buffer and the bias and activation follow in one pass over it; backward, the derivative and the bias
/// sums are one pass. The pre-activation buffer of a pair is not written: nothing reads it (the activation's
/// derivative is taken from its output, and the penalties read only activation outputs and dense inputs).
extension MLP {
    /// One dense layer and the activation after it (nil: the output layer without one); indices into `layers`.
    struct DensePair {
        let dense: Dense
        let layerIndex: Int
        let activation: Activation?
    }

    /// The pairs of a network built as Dense → activation pairs (the last Dense may stand alone); nil with batch norm,
    /// which runs layer by layer.
    static func densePairs(for layers: [Layer]) -> [DensePair]? {
        var steps: [DensePair] = []
        var index = 0
        while index < layers.count {
            guard let dense = layers[index] as? Dense else { return nil }
            let activation = index + 1 < layers.count ? layers[index + 1] as? ActivationLayer : nil
            if index + 1 < layers.count && activation == nil { return nil }
            steps.append(DensePair(dense: dense, layerIndex: index, activation: activation?.activation))
            index += activation == nil ? 1 : 2
        }
        return steps
    }

    /// Forward through every pair: y = f(x·W + b) computed in y's buffer; the output layer without an activation
    /// gets its bias in the product. The layer-by-layer pass's arithmetic: the bias is one addition to the finished
    /// product either way (`ReferenceReplayTests` pins it).
    func forwardByPairs(_ workspace: MLPWorkspace, pairs: [DensePair]) -> Matrix {
        let a = workspace.activations
        let rows = a[0].rows
        for step in pairs {
            let dense = step.dense, i = step.layerIndex
            let inWidth = dense.inputWidth, outWidth = dense.outputWidth
            guard let activation = step.activation else {
                dense.forward(a[i], into: a[i + 1], mode: .training)
                continue
            }
            a[i + 1].setRows(rows)
            let y = a[i + 2]
            y.setRows(rows)
            GEMM.multiply(.none, .none, m: rows, n: outWidth, k: inWidth, a: a[i].data, lda: inWidth,
                          b: dense.weight.value.data, ldb: outWidth, beta: 0, c: y.data, ldc: outWidth, backend: dense.backend)
            Self.activateAddingBias(activation, y.data, bias: dense.bias.value.data, into: y.data, rows: rows, columns: outWidth)
        }
        return a[layers.count]
    }

    /// Backward through every pair: dz = dy ⊙ f′(y) and the bias gradient Σ_rows dz in one pass, then the products.
    func backwardByPairs(_ workspace: MLPWorkspace, pairs: [DensePair], computesParameterGradients: Bool,
                         computesInputGradient: Bool) {
        let a = workspace.activations, g = workspace.gradients
        for step in pairs.reversed() {
            let dense = step.dense, i = step.layerIndex
            let needsInputGradient = i > 0 || computesInputGradient
            guard let activation = step.activation else {
                dense.backward(input: a[i], output: a[i + 1], outputGradient: g[i + 1],
                               inputGradient: needsInputGradient ? g[i] : nil, computesParameterGradients: computesParameterGradients)
                continue
            }
            let y = a[i + 2], dz = g[i + 1]
            dz.setRows(y.rows)
            Self.backpropagateSummingColumns(activation, output: y.data, outputGradient: g[i + 2].data, into: dz.data,
                                             columnSums: computesParameterGradients ? dense.bias.gradient.data : nil,
                                             rows: y.rows, columns: dense.outputWidth)
            dense.backwardProducts(input: a[i], outputGradient: dz, inputGradient: needsInputGradient ? g[i] : nil,
                                   computesParameterGradients: computesParameterGradients)
        }
    }

    /// y[r][j] = f(z[r][j] + bias[j]) (y may be z). In one pass, eight columns at a time, when rows are whole vectors
    /// and f has a vector form equal to `ActivationLayer.apply`'s; otherwise the bias pass, then `apply` over the
    /// whole matrix, as the layer-by-layer pass does (its scalar tail and scalar sigmoid round differently).
    static func activateAddingBias(_ activation: Activation, _ z: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                   into y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        if columns % 8 == 0 {
            switch activation {
            case .relu: return activateAddingBias(ReLULanes(), z, bias, y, rows: rows, columns: columns)
            case .leakyReLU(let slope): return activateAddingBias(LeakyReLULanes(slope: slope), z, bias, y, rows: rows, columns: columns)
            case .tanh: return activateAddingBias(TanhLanes(), z, bias, y, rows: rows, columns: columns)
            case .linear: return activateAddingBias(LinearLanes(), z, bias, y, rows: rows, columns: columns)
            case .sigmoid: break
            }
        }
        for r in 0..<rows {
            let offset = r &* columns
            for j in 0..<columns { y[offset &+ j] = z[offset &+ j] + bias[j] }
        }
        ActivationLayer.apply(activation, y, y, count: rows &* columns)
    }

    @inline(__always)
    private static func activateAddingBias<F: LaneActivation>(_ f: F, _ z: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                                                              _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let offset = r &* columns
            var j = 0
            while j < columns {
                f.apply(SIMD8<Float>(loading: z + (offset &+ j)) + SIMD8<Float>(loading: bias + j)).store(to: y + (offset &+ j))
                j &+= 8
            }
        }
    }

    /// dz[r][j] = dy[r][j]·f′(y[r][j]); `columnSums` (when given) = Σ_r dz[r][·]. One pass when rows are whole
    /// vectors and f is not the sigmoid (as `activateAddingBias`), else `applyDerivative` and `Dense.sumRows`.
    static func backpropagateSummingColumns(_ activation: Activation, output y: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                                            into dz: UnsafeMutablePointer<Float>, columnSums: UnsafeMutablePointer<Float>?,
                                            rows: Int, columns: Int) {
        if columns % 8 == 0 {
            switch activation {
            case .relu: return backpropagate(ReLULanes(), y, dy, dz, columnSums, rows: rows, columns: columns)
            case .leakyReLU(let slope): return backpropagate(LeakyReLULanes(slope: slope), y, dy, dz, columnSums, rows: rows, columns: columns)
            case .tanh: return backpropagate(TanhLanes(), y, dy, dz, columnSums, rows: rows, columns: columns)
            case .linear: return backpropagate(LinearLanes(), y, dy, dz, columnSums, rows: rows, columns: columns)
            case .sigmoid: break
            }
        }
        ActivationLayer.applyDerivative(activation, output: y, outputGradient: dy, into: dz, count: rows &* columns)
        if let columnSums { Dense.sumRows(dz, rows: rows, columns: columns, into: columnSums) }
    }

    @inline(__always)
    private static func backpropagate<F: LaneActivation>(_ f: F, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                         _ dz: UnsafeMutablePointer<Float>, _ columnSums: UnsafeMutablePointer<Float>?,
                                                         rows: Int, columns: Int) {
        columnSums?.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let offset = r &* columns
            var j = 0
            while j < columns {
                let v = f.backpropagate(SIMD8<Float>(loading: dy + (offset &+ j)), output: SIMD8<Float>(loading: y + (offset &+ j)))
                v.store(to: dz + (offset &+ j))
                if let columnSums { (SIMD8<Float>(loading: columnSums + j) + v).store(to: columnSums + j) }
                j &+= 8
            }
        }
    }
}
