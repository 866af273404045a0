/// Hand-written GEMM kernels for tiny shapes, where a BLAS call's fixed cost dominates.
///
/// Each loop nest keeps the innermost loop running along a contiguous row of C and B
/// (an "axpy" form), which the compiler vectorises without reassociating sums.
extension GEMM {
    /// C (m, n) = α·op(A)·op(B) + β·C with plain loops; same contract as `multiply`.
    public static func smallMultiply(
        _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        scale(c, rows: m, columns: n, ldc: ldc, by: beta)
        switch (transposeA, transposeB) {
        case (.none, .none):
            // C[i, :] += α·A[i, p]·B[p, :]
            for i in 0..<m {
                let cRow = c + i &* ldc, aRow = a + i &* lda
                for p in 0..<k {
                    let s = alpha * aRow[p]
                    let bRow = b + p &* ldb
                    for j in 0..<n { cRow[j] += s * bRow[j] }
                }
            }
        case (.transposed, .none):
            // A stored (k, m): C[i, :] += α·A[p, i]·B[p, :]
            for p in 0..<k {
                let aRow = a + p &* lda, bRow = b + p &* ldb
                for i in 0..<m {
                    let s = alpha * aRow[i]
                    let cRow = c + i &* ldc
                    for j in 0..<n { cRow[j] += s * bRow[j] }
                }
            }
        case (.none, .transposed):
            // B stored (n, k): C[i, j] += α·Σ_p A[i, p]·B[j, p] (dot products along k)
            for i in 0..<m {
                let cRow = c + i &* ldc, aRow = a + i &* lda
                for j in 0..<n {
                    let bRow = b + j &* ldb
                    var sum: Float = 0
                    for p in 0..<k { sum += aRow[p] * bRow[p] }
                    cRow[j] += alpha * sum
                }
            }
        case (.transposed, .transposed):
            // A stored (k, m), B stored (n, k): C[i, j] += α·Σ_p A[p, i]·B[j, p]
            for i in 0..<m {
                let cRow = c + i &* ldc
                for j in 0..<n {
                    let bRow = b + j &* ldb
                    var sum: Float = 0
                    for p in 0..<k { sum += a[p &* lda &+ i] * bRow[p] }
                    cRow[j] += alpha * sum
                }
            }
        }
    }

    /// The textbook triple loop in Double: the reference every fast path is tested against.
    public static func naiveMultiply(
        _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transposeA == .none ? a[i * lda + p] : a[p * lda + i]
                    let y = transposeB == .none ? b[p * ldb + j] : b[j * ldb + p]
                    sum += Double(x) * Double(y)
                }
                let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
                c[i * ldc + j] = Float(Double(alpha) * sum + old)
            }
        }
    }
}
