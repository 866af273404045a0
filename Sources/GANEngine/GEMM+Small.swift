/// Hand-written GEMM kernels for tiny shapes, where a BLAS call's fixed cost dominates.
///
/// Columns of C are processed eight at a time in `SIMD8<Float>` registers, four rows of C at once
/// so each loaded row of B feeds four accumulators; a scalar tail covers the remaining columns.
/// Accumulators stay in registers for the whole k loop and C is written once.
extension GEMM {
    /// Eight Float lanes (two SSE registers on baseline x86-64).
    typealias Vector = SIMD8<Float>

    /// c[0..<8] = α·sum + β·c[0..<8] (+ bias[0..<8]).
    @inline(__always)
    static func finish(_ sum: Vector, _ c: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float, _ bias: UnsafePointer<Float>?) {
        var v = alpha * sum
        if beta != 0 { v += beta * Vector(loading: c) }
        if let bias { v += Vector(loading: bias) }
        v.store(to: c)
    }

    /// c[0] = α·sum + β·c[0] (+ bias[0]).
    @inline(__always)
    static func finish(_ sum: Float, _ c: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float, _ bias: UnsafePointer<Float>?) {
        var v = alpha * sum
        if beta != 0 { v += beta * c[0] }
        if let bias { v += bias[0] }
        c[0] = v
    }

    /// C (m, n) = α·op(A)·op(B) + β·C (+ `rowBias` (1, n) added to every row, `.none`/`.none` only)
    /// with register-blocked loops; same contract as `multiply`.
    public static func smallMultiply(
        _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, rowBias: UnsafePointer<Float>? = nil
    ) {
        precondition(rowBias == nil || (transposeA == .none && transposeB == .none), "row bias needs untransposed operands")
        switch (transposeA, transposeB) {
        case (.none, _), (.transposed, .none):
            // Row i of op(A) is a[i·rowStride + p·elementStride].
            let rowStride = transposeA == .none ? lda : 1
            let elementStride = transposeA == .none ? 1 : lda
            if transposeB == .none && n < 8 && transposeA == .transposed && m >= 8 {
                multiplyNarrowTransposedA(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                          beta: beta, c: c, ldc: ldc)
            } else if transposeB == .none && n < 8 && transposeA == .none && k >= 8 {
                multiplyNarrowByDots(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                     beta: beta, c: c, ldc: ldc, bias: rowBias)
            } else if transposeB == .none {
                multiplyRows(m: m, n: n, k: k, alpha: alpha, a: a, rowStride: rowStride, elementStride: elementStride,
                             b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, bias: rowBias)
            } else {
                multiplyTransposedB(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
        case (.transposed, .transposed):
            // A stored (k, m), B stored (n, k): C[i, j] = α·Σ_p A[p, i]·B[j, p] + β·C[i, j]
            for i in 0..<m {
                for j in 0..<n {
                    let bRow = b + j &* ldb
                    var sum: Float = 0
                    for p in 0..<k { sum += a[p &* lda &+ i] * bRow[p] }
                    finish(sum, c + (i &* ldc &+ j), alpha, beta, nil)
                }
            }
        }
    }

    /// C[i, :] = α·Σ_p opA[i, p]·B[p, :] + β·C[i, :] (+ bias), B untransposed; opA[i, p] = a[i·rowStride + p·elementStride].
    @inline(__always)
    static func multiplyRows(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, rowStride: Int, elementStride: Int,
                             b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                             bias: UnsafePointer<Float>?) {
        let vectorColumns = n & ~7
        var i = 0
        while i &+ 4 <= m {
            let a0 = a + i &* rowStride, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
            let c0 = c + i &* ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc
            var j = 0
            while j < vectorColumns {
                var s0 = Vector.zero, s1 = Vector.zero, s2 = Vector.zero, s3 = Vector.zero
                for p in 0..<k {
                    let bv = Vector(loading: b + (p &* ldb &+ j))
                    let e = p &* elementStride
                    s0 += a0[e] * bv; s1 += a1[e] * bv; s2 += a2[e] * bv; s3 += a3[e] * bv
                }
                let biasJ = bias.map { $0 + j }
                finish(s0, c0 + j, alpha, beta, biasJ); finish(s1, c1 + j, alpha, beta, biasJ)
                finish(s2, c2 + j, alpha, beta, biasJ); finish(s3, c3 + j, alpha, beta, biasJ)
                j &+= 8
            }
            while j < n {
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                for p in 0..<k {
                    let bv = b[p &* ldb &+ j], e = p &* elementStride
                    s0 += a0[e] * bv; s1 += a1[e] * bv; s2 += a2[e] * bv; s3 += a3[e] * bv
                }
                let biasJ = bias.map { $0 + j }
                finish(s0, c0 + j, alpha, beta, biasJ); finish(s1, c1 + j, alpha, beta, biasJ)
                finish(s2, c2 + j, alpha, beta, biasJ); finish(s3, c3 + j, alpha, beta, biasJ)
                j &+= 1
            }
            i &+= 4
        }
        while i < m {
            let a0 = a + i &* rowStride, c0 = c + i &* ldc
            var j = 0
            while j < vectorColumns {
                var s0 = Vector.zero
                for p in 0..<k { s0 += a0[p &* elementStride] * Vector(loading: b + (p &* ldb &+ j)) }
                finish(s0, c0 + j, alpha, beta, bias.map { $0 + j })
                j &+= 8
            }
            while j < n {
                var s0: Float = 0
                for p in 0..<k { s0 += a0[p &* elementStride] * b[p &* ldb &+ j] }
                finish(s0, c0 + j, alpha, beta, bias.map { $0 + j })
                j &+= 1
            }
            i &+= 1
        }
    }

    /// C (m, n < 8) = α·Aᵀ·B + β·C with A stored (k, m), m ≥ 8 (a weight gradient into a 1- or
    /// 2-unit layer): eight rows of C at a time, vectorised along A's contiguous rows.
    @inline(__always)
    static func multiplyNarrowTransposedA(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                          b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        var i = 0
        while i &+ 8 <= m {
            for j in 0..<n {
                var sum = Vector.zero
                for p in 0..<k { sum += b[p &* ldb &+ j] * Vector(loading: a + (p &* lda &+ i)) }
                for lane in 0..<8 { finish(sum[lane], c + ((i &+ lane) &* ldc &+ j), alpha, beta, nil) }
            }
            i &+= 8
        }
        while i < m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k { sum += a[p &* lda &+ i] * b[p &* ldb &+ j] }
                finish(sum, c + (i &* ldc &+ j), alpha, beta, nil)
            }
            i &+= 1
        }
    }

    /// C (m, n < 8) = α·A·B + β·C (+ bias) with k ≥ 8 (a layer with 1 or 2 outputs): each entry is a
    /// dot product of A's row with B's column, eight terms at a time, B's columns copied once to the stack.
    @inline(__always)
    static func multiplyNarrowByDots(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                     b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                                     bias: UnsafePointer<Float>?) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: n &* k) { buffer in
            let columns = buffer.baseAddress!  // columns[j·k + p] = B[p, j]
            for p in 0..<k {
                for j in 0..<n { columns[j &* k &+ p] = b[p &* ldb &+ j] }
            }
            let vectorK = k & ~7
            for i in 0..<m {
                let aRow = a + i &* lda
                for j in 0..<n {
                    let column = columns + j &* k
                    var partial = Vector.zero
                    var p = 0
                    while p < vectorK {
                        partial += Vector(loading: aRow + p) * Vector(loading: column + p)
                        p &+= 8
                    }
                    var sum = partial.sum()
                    while p < k { sum += aRow[p] * column[p]; p &+= 1 }
                    finish(sum, c + (i &* ldc &+ j), alpha, beta, bias.map { $0 + j })
                }
            }
        }
    }

    /// C = α·A·Bᵀ + β·C with B stored (n, k): copies Bᵀ (k, n) into a stack buffer (B is small
    /// whenever this kernel runs: it is a layer's weights) and runs the untransposed kernel.
    @inline(__always)
    static func multiplyTransposedB(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, n &* k)) { buffer in
            let transposed = buffer.baseAddress!
            for j in 0..<n {
                let row = b + j &* ldb
                for p in 0..<k { transposed[p &* n &+ j] = row[p] }
            }
            multiplyRows(m: m, n: n, k: k, alpha: alpha, a: a, rowStride: lda, elementStride: 1,
                         b: transposed, ldb: n, beta: beta, c: c, ldc: ldc, bias: nil)
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
