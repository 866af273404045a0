#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// σ(x) = 1 / (1 + e^(−x)), evaluated so that neither branch overflows.
@inline(__always)
public func sigmoid(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + expf(-x))
    }
    let e = expf(x)
    return e / (1 + e)
}

/// softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)): finite for every finite x.
/// Note log σ(x) = −softplus(−x) and log(1 − σ(x)) = −softplus(x).
@inline(__always)
public func softplus(_ x: Float) -> Float {
    max(x, 0) + log1pOfSmall(expf(-abs(x)))
}

/// Both softplus(x) and σ(x) from one exponential (the losses need the pair for every score).
@inline(__always)
public func softplusAndSigmoid(_ x: Float) -> (softplus: Float, sigmoid: Float) {
    let e = expf(-abs(x))  // in (0, 1]
    let inverse = 1 / (1 + e)
    return (max(x, 0) + log1pOfSmall(e), x >= 0 ? inverse : e * inverse)
}

/// log(1 + e) for e in [0, 1]: logf(1 + e) is faster than log1pf and as accurate here except
/// for tiny e, where the series e − e²/2 is exact to Float precision.
@inline(__always)
func log1pOfSmall(_ e: Float) -> Float {
    e < 1e-3 ? e * (1 - 0.5 * e) : logf(1 + e)
}

/// tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)), one expf instead of glibc's slower tanhf; a cubic
/// series near 0 avoids cancellation, and |x| > 9 returns ±1 (exact in Float).
@inline(__always)
func stableTanh(_ x: Float) -> Float {
    let a = abs(x)
    if a < 4e-3 { return x * (1 - x * x * (1.0 / 3.0)) }
    if a > 9 { return x > 0 ? 1 : -1 }
    let t = 1 - 2 / (expf(2 * a) + 1)
    return x > 0 ? t : -t
}

/// Square root for Float via the C library.
@inline(__always)
func squareRoot(_ x: Float) -> Float { sqrtf(x) }

/// e^x for eight lanes: Cody–Waite reduction x = n·ln 2 + r (|r| ≤ ½ ln 2), a degree-6 Taylor
/// polynomial for e^r (relative error < 2e-7), and 2ⁿ built in the exponent bits. Inputs are
/// clamped to [−87, 88], so the result is always finite and positive.
@_transparent
func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let clamped = x.replacing(with: -87, where: x .< -87).replacing(with: 88, where: x .> 88)
    // Round to nearest with the 1.5·2²³ trick: adding it leaves n in the low mantissa bits
    // (plain SIMD arithmetic; the generic rounding and Int32 conversions are not vectorised).
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    var r = clamped - n * 0.693_145_75  // ln 2, high part
    r -= n * 1.428_606_8e-6             // ln 2, low part
    var p: SIMD8<Float> = r * (1.0 / 720) + (1.0 / 120)
    p = p * r + (1.0 / 24)
    p = p * r + (1.0 / 6)
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // shifted's bits are 0x4B40_0000 + n; 2ⁿ has exponent bits (n + 127) << 23.
    let bits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127
    return p * unsafeBitCast(bits &<< 23, to: SIMD8<Float>.self)
}

/// tanh for eight lanes: sign(x)·(1 − 2/(e^{2|x|} + 1)), with the cubic series for |x| < 4e-3.
@_transparent
func vectorTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let a = x.replacing(with: -x, where: x .< 0)
    let t = 1 - 2 / (vectorExp(2 * a) + 1)
    var y = t.replacing(with: -t, where: x .< 0)
    y.replace(with: x * (1 - x * x * (1.0 / 3.0)), where: a .< 4e-3)
    return y
}

/// softplus and σ for eight lanes: e = e^{−|x|} ∈ (0, 1]; softplus = max(x, 0) + log1p(e) with
/// log1p(e) = 2·atanh(e/(2 + e)) summed to z¹¹ (z ≤ ⅓, error < 1e-7, exact for tiny e);
/// σ = 1/(1 + e) for x ≥ 0, e/(1 + e) otherwise. Finite for every input.
@_transparent
func vectorSoftplusAndSigmoid(_ x: SIMD8<Float>) -> (softplus: SIMD8<Float>, sigmoid: SIMD8<Float>) {
    let negative = x .< 0
    let absolute = x.replacing(with: -x, where: negative)
    let e = vectorExp(-absolute)
    let z = e / (2 + e)
    let z2 = z * z
    var series: SIMD8<Float> = z2 * (1.0 / 11) + (1.0 / 9)
    series = series * z2 + (1.0 / 7)
    series = series * z2 + (1.0 / 5)
    series = series * z2 + (1.0 / 3)
    series = series * z2 + 1
    let log1p = 2 * z * series
    let positivePart = x.replacing(with: 0, where: negative)
    let inverse = 1 / (1 + e)
    return (positivePart + log1p, inverse.replacing(with: e * inverse, where: negative))
}
