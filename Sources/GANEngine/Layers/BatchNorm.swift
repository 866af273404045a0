/// Batch normalisation (Ioffe & Szegedy, 2015) over the rows of a batch, one feature per column:
/// y = γ·(x − μ)/√(σ² + ε) + β.
///
/// Training uses the batch's own μ and (biased) σ² and updates running estimates; inference
/// (the views) uses the running estimates, so a view never depends on which points it shows.
/// Used only in the generator's hidden layers (Dense → BatchNorm → activation).
public final class BatchNorm: Layer {
    /// Scale γ, shape (1, width), initialised to 1.
    public let scale: Parameter
    /// Shift β, shape (1, width), initialised to 0.
    public let shift: Parameter
    /// Running mean, shape (1, width), for inference.
    public let runningMean: Matrix
    /// Running (unbiased) variance, shape (1, width), for inference.
    public let runningVariance: Matrix
    /// Weight of the newest batch in the running estimates (PyTorch's default, 0.1).
    public let momentum: Float
    /// Added to σ² before the square root.
    public let epsilon: Float
    /// Columns in and out.
    public let inputWidth: Int
    /// Equal to `inputWidth`.
    public var outputWidth: Int { inputWidth }
    /// γ then β.
    public var parameters: [Parameter] { [scale, shift] }

    /// Batch mean and 1/√(σ²+ε) of the last training forward (what backward needs).
    private let batchMean: Matrix
    private let batchInverseStd: Matrix
    /// Per-feature sums used by backward: Σ dy and Σ dy·x̂.
    private let sumGradient: Matrix
    private let sumGradientTimesNormalized: Matrix

    /// A batch-norm layer over `width` features.
    public init(width: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, name: String = "batchnorm") {
        inputWidth = width
        self.momentum = momentum
        self.epsilon = epsilon
        scale = Parameter(rows: 1, columns: width, name: name + ".scale")
        scale.value.fill(1)
        shift = Parameter(rows: 1, columns: width, name: name + ".shift")
        runningMean = Matrix(rows: 1, columns: width)
        runningVariance = Matrix(rows: 1, columns: width)
        runningVariance.fill(1)
        batchMean = Matrix(rows: 1, columns: width)
        batchInverseStd = Matrix(rows: 1, columns: width)
        sumGradient = Matrix(rows: 1, columns: width)
        sumGradientTimesNormalized = Matrix(rows: 1, columns: width)
    }

    /// x (rows, w) -> y (rows, w); y may be x itself.
    public func forward(_ x: Matrix, into y: Matrix, mode: ForwardMode) {
        let rows = x.rows, w = inputWidth
        y.setRows(rows)
        let mean = batchMean.data, inv = batchInverseStd.data
        if mode == .training && rows > 0 {
            mean.update(repeating: 0, count: w)
            inv.update(repeating: 0, count: w)  // holds Σ(x−μ)² first
            for r in 0..<rows {
                let row = x.data + r &* w
                for j in 0..<w { mean[j] += row[j] }
            }
            let n = Float(rows)
            for j in 0..<w { mean[j] /= n }
            for r in 0..<rows {
                let row = x.data + r &* w
                for j in 0..<w { let d = row[j] - mean[j]; inv[j] += d * d }
            }
            let unbiased: Float = rows > 1 ? n / (n - 1) : 1
            for j in 0..<w {
                let variance = inv[j] / n
                runningMean.data[j] = (1 - momentum) * runningMean.data[j] + momentum * mean[j]
                runningVariance.data[j] = (1 - momentum) * runningVariance.data[j] + momentum * variance * unbiased
                inv[j] = 1 / squareRoot(variance + epsilon)
            }
            normalize(x, into: y, mean: mean, inverseStd: inv)
        } else {
            // Inference: fold the running statistics into the same per-feature arrays' shape.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * w) { buffer in
                let m = buffer.baseAddress!, s = m + w
                for j in 0..<w {
                    m[j] = runningMean.data[j]
                    s[j] = 1 / squareRoot(runningVariance.data[j] + epsilon)
                }
                normalize(x, into: y, mean: m, inverseStd: s)
            }
        }
    }

    private func normalize(_ x: Matrix, into y: Matrix, mean: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>) {
        let w = inputWidth, g = scale.value.data, b = shift.value.data
        for r in 0..<x.rows {
            let xr = x.data + r &* w, yr = y.data + r &* w
            for j in 0..<w { yr[j] = g[j] * (xr[j] - mean[j]) * inverseStd[j] + b[j] }
        }
    }

    /// dγ = Σ dy·x̂;  dβ = Σ dy;  dx = γ·s/N·(N·dy − Σdy − x̂·Σ(dy·x̂)), s = 1/√(σ²+ε).
    /// Must follow a `.training` forward of the same x (it reuses that batch's μ and s).
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, computesParameterGradients: Bool) {
        let rows = x.rows, w = inputWidth
        let mean = batchMean.data, inv = batchInverseStd.data
        let sdy = sumGradient.data, sdyx = sumGradientTimesNormalized.data
        sdy.update(repeating: 0, count: w)
        sdyx.update(repeating: 0, count: w)
        for r in 0..<rows {
            let xr = x.data + r &* w, gr = dy.data + r &* w
            for j in 0..<w {
                let normalized = (xr[j] - mean[j]) * inv[j]
                sdy[j] += gr[j]
                sdyx[j] += gr[j] * normalized
            }
        }
        if computesParameterGradients {
            scale.gradient.data.update(from: sdyx, count: w)
            shift.gradient.data.update(from: sdy, count: w)
        }
        guard let dx, rows > 0 else { return }
        dx.setRows(rows)
        let n = Float(rows), g = scale.value.data
        for r in 0..<rows {
            let xr = x.data + r &* w, gr = dy.data + r &* w, dr = dx.data + r &* w
            for j in 0..<w {
                let normalized = (xr[j] - mean[j]) * inv[j]
                dr[j] = g[j] * inv[j] / n * (n * gr[j] - sdy[j] - normalized * sdyx[j])
            }
        }
    }
}
