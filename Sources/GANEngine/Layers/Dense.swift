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

    /// A zero-initialised layer; `Initialization.apply` fills the weights.
    public init(inputWidth: Int, outputWidth: Int, name: String = "dense") {
        precondition(inputWidth > 0 && outputWidth > 0, "dense widths must be positive")
        weight = Parameter(rows: inputWidth, columns: outputWidth, name: name + ".weight")
        bias = Parameter(rows: 1, columns: outputWidth, name: name + ".bias")
    }

    /// x (rows, in) -> y (rows, out) = x·W + b
    public func forward(_ x: Matrix, into y: Matrix, mode: ForwardMode) {
        let rows = x.rows, out = outputWidth
        y.setRows(rows)
        let b = bias.value.data, yd = y.data
        for r in 0..<rows {
            (yd + r &* out).update(from: b, count: out)
        }
        GEMM.multiply(.none, .none, m: rows, n: out, k: inputWidth,
                      a: x.data, lda: x.columns, b: weight.value.data, ldb: out,
                      beta: 1, c: yd, ldc: out)
    }

    /// dW (in, out) = xᵀ·dy;  db (1, out) = Σ_rows dy;  dx (rows, in) = dy·Wᵀ
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, computesParameterGradients: Bool) {
        let rows = x.rows, out = outputWidth, inWidth = inputWidth
        if computesParameterGradients {
            GEMM.multiply(.transposed, .none, m: inWidth, n: out, k: rows,
                          a: x.data, lda: inWidth, b: dy.data, ldb: out,
                          beta: 0, c: weight.gradient.data, ldc: out)
            let db = bias.gradient.data
            db.update(repeating: 0, count: out)
            for r in 0..<rows {
                let row = dy.data + r &* out
                for j in 0..<out { db[j] += row[j] }
            }
        }
        if let dx {
            dx.setRows(rows)
            GEMM.multiply(.none, .transposed, m: rows, n: inWidth, k: out,
                          a: dy.data, lda: out, b: weight.value.data, ldb: out,
                          beta: 0, c: dx.data, ldc: inWidth)
        }
    }
}
