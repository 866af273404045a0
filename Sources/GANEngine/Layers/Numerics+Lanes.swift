/// Natural logarithm and sine/cosine for eight lanes, for `LaneRandom`'s Box–Muller normals.
///
/// Cephes-style (Moshier, "Methods and Programs for Mathematical Functions", 1989): split off the
/// exponent or the quadrant with bit operations, then a short polynomial on a small interval. Both
/// are within a few ulp of the C library (NumericsLanesTests measures it).
///
/// The eight-lane functions here and in Numerics.swift are `@_transparent`, not `@inline(__always)`: with the
/// latter the optimiser left `vectorSoftplusAndSigmoid` and `vectorSinCosOfTurns` out of line, and a call passes a
/// `SIMD8<Float>` as two 4-lane halves, so their whole bodies ran at half width (`perf annotate`: xmm, not ymm).
/// Inlined, the same operations run at full width: the same results bit for bit, and `ganlab bench --only default`
/// 44.0k → 46.0k epochs/s (medians of 5, alternated, one core; docs/engine.md, "Speed").

/// ln x for eight positive, finite, normal lanes: x = m·2ᵉ with m in [√½, √2), ln x = e·ln 2 + ln m,
/// ln m = f − f²/2 + f³·P(f) with f = m − 1 (Cephes `logf`, |error| < 1.5 ulp).
@_transparent
func vectorLog(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
    var exponent = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: (bits &>> 23) & 0xFF)) - 126
    // The mantissa with exponent bits of 0.5: m in [0.5, 1).
    var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: SIMD8<Float>.self)
    let small = m .< 0.707_106_781_186_547_5
    exponent.replace(with: exponent - 1, where: small)
    m = m.replacing(with: m + m, where: small) - 1
    let z = m * m
    // Horner with fused multiply-adds. Written as `p * m + c`, this chain compiled to one scalar
    // multiply and add per lane (LLVM split the vector; `ganlab bench` spent ~7 % of a default epoch
    // here); `addingProduct` keeps it in eight-lane FMAs.
    var p = SIMD8<Float>(repeating: -1.151_461_031_0e-1).addingProduct(m, SIMD8(repeating: 7.037_683_629_2e-2))
    p = SIMD8<Float>(repeating: 1.167_699_874_0e-1).addingProduct(p, m)
    p = SIMD8<Float>(repeating: -1.242_014_084_6e-1).addingProduct(p, m)
    p = SIMD8<Float>(repeating: 1.424_932_278_7e-1).addingProduct(p, m)
    p = SIMD8<Float>(repeating: -1.666_805_766_5e-1).addingProduct(p, m)
    p = SIMD8<Float>(repeating: 2.000_071_476_5e-1).addingProduct(p, m)
    p = SIMD8<Float>(repeating: -2.499_999_399_3e-1).addingProduct(p, m)
    p = SIMD8<Float>(repeating: 3.333_333_117_4e-1).addingProduct(p, m)
    var y = p * m * z
    y += exponent * -2.121_944_40e-4
    y -= 0.5 * z
    return m + y + exponent * 0.693_359_375
}

/// (sin 2πt, cos 2πt) for eight lanes t in [0, 1): t = q/4 + r with |r| ≤ 1/8, so the angle a = 2πr
/// is in [−π/4, π/4] where Cephes' `sinf`/`cosf` polynomials hold; the quarter turns q rotate the
/// pair by sin(qπ/2) = 1 − |q − 1| and cos(qπ/2) = |q − 2| − 1 (q = 0 … 3). Float arithmetic and
/// selects only: integer lane comparisons compile to scalar loops.
@_transparent
func vectorSinCosOfTurns(_ t: SIMD8<Float>) -> (sine: SIMD8<Float>, cosine: SIMD8<Float>) {
    let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5·2²³: adding it rounds to an integer
    var q = (t * 4 + magic) - magic
    let a = (t - q * 0.25) * 6.283_185_307_179_586
    q.replace(with: 0, where: q .> 3.5)  // t near 1 rounds to q = 4, a full turn
    let a2 = a * a
    var s: SIMD8<Float> = a2 * -1.951_529_589_1e-4 + 8.332_160_873_6e-3
    s = s * a2 - 1.666_665_461_1e-1
    let sine = a + a * a2 * s
    var c: SIMD8<Float> = a2 * 2.443_315_711_809_948e-5 - 1.388_731_625_493_765e-3
    c = c * a2 + 4.166_664_568_298_827e-2
    let cosine = 1 - 0.5 * a2 + a2 * a2 * c
    let sq = 1 - laneAbsolute(q - 1), cq = laneAbsolute(q - 2) - 1
    return (sine * cq + cosine * sq, cosine * cq - sine * sq)
}

/// |x| for eight lanes (a select: `abs` on SIMD is not vectorised).
@inline(__always)
func laneAbsolute(_ x: SIMD8<Float>) -> SIMD8<Float> { x.replacing(with: -x, where: x .< 0) }

/// √y for eight lanes y ≥ 0: the bit-pattern estimate of 1/√y refined by three Newton steps
/// (relative error 3.4 % → 2e-3 → 5e-6 → float rounding), times y. `squareRoot()` on SIMD calls the
/// C library once per lane.
@_transparent
func vectorSquareRoot(_ y: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(y, to: SIMD8<UInt32>.self)
    var r = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (bits &>> 1), to: SIMD8<Float>.self)
    let half = 0.5 * y
    r = r * (1.5 - half * r * r)
    r = r * (1.5 - half * r * r)
    r = r * (1.5 - half * r * r)
    return y * r
}
