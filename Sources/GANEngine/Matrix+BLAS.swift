import CBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum MatrixTranspose: Sendable, Equatable, CaseIterable {
    /// op(X) = X.
    case none
    /// op(X) = Xᵀ.
    case transposed
}

/// Which implementation computes a GEMM: OpenBLAS, the hand-written small-shape kernels, or a choice by size.
///
/// A value passed where products are computed (a `Trainer`, its networks' `Dense` layers, a benchmark),
/// never a process-wide switch, so runs training on several threads cannot change each other's kernels.
public enum GEMMBackend: String, Sendable, Equatable, CaseIterable {
    /// OpenBLAS `cblas_sgemm`.
    case blas
    /// `GEMM.smallMultiply` (register-blocked SIMD loops; no call overhead).
    case small
    /// Pick per call by size (the default): at most `GEMM.smallWorkLimit` multiply-adds use the small kernels.
    case automatic
}

/// Single-precision matrix products C = α·op(A)·op(B) + β·C, row-major, on raw pointers.
///
/// This is the only file that imports CBLAS. For the tiny shapes of a default GAN Lab network
/// (e.g. 150×2 · 2×8) the fixed cost of a BLAS call dominates, so below `smallWorkLimit`
/// multiply-adds the hand-written kernels run instead (measured: docs/engine.md, "Speed").
/// Stateless and safe to call from several threads at once: OpenBLAS is limited to one thread
/// (the caller's) once, before its first use.
public enum GEMM {
    /// Products with at most this many multiply-adds (m·n·k) use the small kernels under `.automatic`.
    public static let smallWorkLimit = 32_768

    /// Runs once, thread-safely (Swift initialises a static `let` exactly once), before the first
    /// OpenBLAS call: every product runs on the calling thread, so a run's worker thread is all it uses.
    private static let openBLASIsSingleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// C (m, n) = α·op(A)·op(B) + β·C (+ `rowBias` (1, n) on every row, untransposed operands only),
    /// where op(A) is (m, k) and op(B) is (k, n); `lda`, `ldb`, `ldc` are the row strides as stored.
    @inline(__always)
    public static func multiply(
        _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, rowBias: UnsafePointer<Float>? = nil,
        backend: GEMMBackend = .automatic
    ) {
        let useSmall: Bool
        switch backend {
        case .blas: useSmall = false
        case .small: useSmall = true
        case .automatic: useSmall = m &* n &* k <= smallWorkLimit
        }
        if useSmall {
            smallMultiply(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                          a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, rowBias: rowBias)
        } else {
            if let rowBias {
                // BLAS has no bias term: C = β·C + bias, then accumulate the product.
                for i in 0..<m {
                    let row = c + i &* ldc
                    for j in 0..<n { row[j] = (beta == 0 ? 0 : beta * row[j]) + rowBias[j] }
                }
                blasMultiply(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                             a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: c, ldc: ldc)
                return
            }
            blasMultiply(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                         a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// The same product through OpenBLAS `cblas_sgemm`.
    public static func blasMultiply(
        _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        _ = openBLASIsSingleThreaded
        if k == 0 {  // BLAS semantics: C = β·C
            scale(c, rows: m, columns: n, ldc: ldc, by: beta)
            return
        }
        cblas_sgemm(CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    @inline(__always)
    private static func cblasTranspose(_ t: MatrixTranspose) -> CBLAS_TRANSPOSE {
        t == .none ? CblasNoTrans : CblasTrans
    }

    /// C = β·C over an (m, n) block (β = 0 writes zeros, so NaNs in C never leak through).
    @inline(__always)
    static func scale(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ldc: Int, by beta: Float) {
        if beta == 1 { return }
        for i in 0..<rows {
            let row = c + i &* ldc
            if beta == 0 {
                row.update(repeating: 0, count: columns)
            } else {
                for j in 0..<columns { row[j] *= beta }
            }
        }
    }
}

extension Matrix {
    /// C = α·op(A)·op(B) + β·C on whole matrices; C's rows are set to op(A)'s row count.
    public static func multiply(
        _ a: Matrix, _ transposeA: MatrixTranspose = .none,
        _ b: Matrix, _ transposeB: MatrixTranspose = .none,
        into c: Matrix, alpha: Float = 1, beta: Float = 0, backend: GEMMBackend = .automatic
    ) {
        let m = transposeA == .none ? a.rows : a.columns
        let k = transposeA == .none ? a.columns : a.rows
        let kb = transposeB == .none ? b.rows : b.columns
        let n = transposeB == .none ? b.columns : b.rows
        precondition(k == kb, "inner dimensions differ: \(k) vs \(kb)")
        precondition(c.columns == n, "output has \(c.columns) columns, product has \(n)")
        c.setRows(m)
        GEMM.multiply(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha,
                      a: a.data, lda: a.columns, b: b.data, ldb: b.columns,
                      beta: beta, c: c.data, ldc: c.columns, backend: backend)
    }
}
