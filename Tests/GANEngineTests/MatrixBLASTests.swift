import Testing
import GANEngine

@Suite struct MatrixBLASTests {
    /// Shapes from a 150-row batch through 2→8→8 layers up to sizes past the small-kernel limit.
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (150, 8, 2), (2, 8, 150), (150, 2, 8), (7, 5, 3), (64, 65, 66), (1, 40, 300),
                                                   (8, 1, 300), (13, 2, 150), (300, 1, 8), (150, 2, 19), (5, 3, 9)]

    func check(_ ta: MatrixTranspose, _ tb: MatrixTranspose, backend: (MatrixTranspose, MatrixTranspose, Int, Int, Int, Float, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int, Float, UnsafeMutablePointer<Float>, Int) -> Void) {
        var random = RandomSource(seed: 3)
        for (m, n, k) in Self.shapes {
            for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
                // A stored as op(A) (m, k): (m, k) or (k, m); B as op(B) (k, n): (k, n) or (n, k).
                let (ar, ac) = ta == .none ? (m, k) : (k, m)
                let (br, bc) = tb == .none ? (k, n) : (n, k)
                let a = GradientCheck.randomMatrix(rows: ar, columns: ac, random: &random)
                let b = GradientCheck.randomMatrix(rows: br, columns: bc, random: &random)
                let c0 = GradientCheck.randomMatrix(rows: m, columns: n, random: &random)
                let fast = c0.clone(), reference = c0.clone()
                backend(ta, tb, m, n, k, alpha, a.data, ac, b.data, bc, beta, fast.data, n)
                GEMM.naiveMultiply(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a.data, lda: ac, b: b.data, ldb: bc,
                                   beta: beta, c: reference.data, ldc: n)
                var worst: Float = 0
                for i in 0..<fast.count { worst = max(worst, abs(fast.data[i] - reference.data[i])) }
                #expect(worst < 1e-4 * Float(max(k, 1)), "\(ta)\(tb) \(m)x\(n)x\(k) α\(alpha) β\(beta): \(worst)")
            }
        }
    }

    @Test(arguments: MatrixTranspose.allCases, MatrixTranspose.allCases)
    func blas_matchesNaive(_ ta: MatrixTranspose, _ tb: MatrixTranspose) {
        check(ta, tb) { GEMM.blasMultiply($0, $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) }
    }

    @Test(arguments: MatrixTranspose.allCases, MatrixTranspose.allCases)
    func smallKernels_matchNaive(_ ta: MatrixTranspose, _ tb: MatrixTranspose) {
        check(ta, tb) { GEMM.smallMultiply($0, $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) }
    }

    @Test func matrixMultiply_setsOutputRows() {
        let a = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 2, columns: 2, values: [1, 0, 0, 1])
        let c = Matrix(rows: 0, columns: 2)
        Matrix.multiply(a, .transposed, b, into: c)  // (3, 2)·(2, 2)
        #expect(c.rows == 3)
        #expect(c.values == [1, 4, 2, 5, 3, 6])
    }

    @Test func betaZero_overwritesNaN() {
        let a = Matrix(rows: 1, columns: 1, values: [2])
        let c = Matrix(rows: 1, columns: 1, values: [.nan])
        GEMM.smallMultiply(.none, .none, m: 1, n: 1, k: 1, a: a.data, lda: 1, b: a.data, ldb: 1, beta: 0, c: c.data, ldc: 1)
        #expect(c[0, 0] == 4)
    }
}
