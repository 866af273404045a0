/// The one seeded random generator that drives everything in a run: data, noise, initialisation
/// and batches. The same seed replays a run exactly, so nothing in the engine may call
/// `Float.random` or `SystemRandomNumberGenerator`; every draw takes an `inout RandomSource`.
///
/// xoshiro256** (Blackman & Vigna, 2018) seeded through SplitMix64, as its authors recommend.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A second normal deviate kept from the last Box–Muller pair.
    private var spareGaussian: Float?

    /// Creates a generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The exact stream position as six words: s0…s3, then 1 and the spare deviate's bits (or 0, 0).
    /// `RandomSource(state:)` continues the stream bit for bit (saved runs, forks).
    public var state: [UInt64] {
        [s0, s1, s2, s3, spareGaussian == nil ? 0 : 1, UInt64(spareGaussian?.bitPattern ?? 0)]
    }

    /// Resumes a stream from `state`; nil unless it is six words with a valid spare flag and a non-zero core.
    public init?(state: [UInt64]) {
        guard state.count == 6, state[4] <= 1, state[0] | state[1] | state[2] | state[3] != 0,
              state[5] <= UInt64(UInt32.max) else { return nil }
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3]
        spareGaussian = state[4] == 1 ? Float(bitPattern: UInt32(state[5])) : nil
    }

    /// The next 64 random bits (always inlined: a sampler's loop then keeps the four words in registers).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniform Float in [0, 1), from the top 24 bits so every value is exactly representable.
    @inline(__always)
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Float in [low, high).
    @inline(__always)
    public mutating func nextUniform(in low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUniform()
    }

    /// A standard normal deviate (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func nextGaussian() -> Float {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        // u1 in (0, 1] so the logarithm is finite.
        let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2.0 * _log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareGaussian = Float(radius * _sin(angle))
        return Float(radius * _cos(angle))
    }

    /// A uniform integer in 0..<bound (Lemire's nearly-divisionless method, unbiased).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(truncatingIfNeeded: next(upperBound: UInt64(bound)))
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
#endif
