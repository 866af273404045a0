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
    max(x, 0) + log1pf(expf(-abs(x)))
}

/// tanh through the C library (exact at ±∞, no overflow).
@inline(__always)
func stableTanh(_ x: Float) -> Float { tanhf(x) }

/// Square root for Float via the C library.
@inline(__always)
func squareRoot(_ x: Float) -> Float { sqrtf(x) }
