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
