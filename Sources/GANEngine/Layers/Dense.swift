/// A fully connected layer y = x·W + b; W is stored (in, out), the layout GAN Lab saves.
public final class Dense: Layer {
    /// Weights, shape (inputWidth, outputWidth).
    public let weight: Parameter
    /// Bias, shape (1, outputWidth).
    public let bias: Parameter
    /// Columns of the input.
    public var inputWidth: Int { weight.value.rows }
    /// Columns of the output.
    public var outputWidth: Int { weight.value.columns }
    /// Weight then bias.
    public var parameters: [Parameter] { [weight, bias] }
    /// Which GEMM kernels this layer's products use (the owning trainer's choice, not a global).
    public let backend: GEMMBackend

    /// A zero-initialised layer; `Initialization.apply` fills the weights.
    public init(inputWidth: Int, outputWidth: Int, name: String = "dense", backend: GEMMBackend = .automatic) {
        precondition(inputWidth > 0 && outputWidth > 0, "dense widths must be positive")
        weight = Parameter(rows: inputWidth, columns: outputWidth, name: name + ".weight")
        bias = Parameter(rows: 1, columns: outputWidth, name: name + ".bias")
        self.backend = backend
    }

    /// x (rows, in) -> y (rows, out) = x·W + b
    public func forward(_ x: Matrix, into y: Matrix, mode: ForwardMode) {
        let rows = x.rows, out = outputWidth
        y.setRows(rows)
        GEMM.multiply(.none, .none, m: rows, n: out, k: inputWidth,
                      a: x.data, lda: x.columns, b: weight.value.data, ldb: out,
                      beta: 0, c: y.data, ldc: out, rowBias: bias.value.data, backend: backend)
    }

    /// dW (in, out) = xᵀ·dy;  db (1, out) = Σ_rows dy;  dx (rows, in) = dy·Wᵀ
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, computesParameterGradients: Bool) {
        if computesParameterGradients { Self.sumRows(dy.data, rows: x.rows, columns: outputWidth, into: bias.gradient.data) }
        backwardProducts(input: x, outputGradient: dy, inputGradient: dx, computesParameterGradients: computesParameterGradients)
    }

    /// `backward` without the bias gradient (the caller summed dy's columns in its own pass): dW = xᵀ·dy, dx = dy·Wᵀ.
    func backwardProducts(input x: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?, computesParameterGradients: Bool) {
        let rows = x.rows, out = outputWidth, inWidth = inputWidth
        if computesParameterGradients {
            GEMM.multiply(.transposed, .none, m: inWidth, n: out, k: rows,
                          a: x.data, lda: inWidth, b: dy.data, ldb: out,
                          beta: 0, c: weight.gradient.data, ldc: out, backend: backend)
        }
        if let dx {
            dx.setRows(rows)
            GEMM.multiply(.none, .transposed, m: rows, n: inWidth, k: out,
                          a: dy.data, lda: out, b: weight.value.data, ldb: out,
                          beta: 0, c: dx.data, ldc: inWidth, backend: backend)
        }
    }

    /// sums (1, columns) = Σ_rows m (rows, columns), eight columns at a time.
    @inline(__always)
    static func sumRows(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
        var j = 0
        while j &+ 8 <= columns {
            var s = SIMD8<Float>.zero
            for r in 0..<rows { s += SIMD8<Float>(loading: m + (r &* columns &+ j)) }
            s.store(to: sums + j)
            j &+= 8
        }
        while j < columns {
            var s: Float = 0
            for r in 0..<rows { s += m[r &* columns &+ j] }
            sums[j] = s
            j &+= 1
        }
    }
}
