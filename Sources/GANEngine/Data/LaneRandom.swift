/// Random numbers eight lanes at a time for the fused path's samplers (`LaneSampledDistribution`,
/// `NoiseDistribution.sampleLanes`).
///
/// Why: drawing a batch one number at a time from `RandomSource` costs about 15 instructions per
/// uniform and 30 per ziggurat normal, a quarter of a default epoch on the fused path. Here four
/// xoshiro256** generators (Blackman & Vigna, 2018) run side by side in `SIMD4<UInt64>` registers,
/// each 64-bit output giving two 24-bit uniforms, and normals come from Box–Muller with vector
/// log, sine and cosine, so no lane ever waits on a branch.
///
/// Determinism: a `LaneRandom` is seeded from 16 draws of the run's one `RandomSource` (each through
/// the SplitMix64 finaliser) for every batch and then dropped, so the run's stream still decides
/// every number, and `TrainerState` needs nothing new.
struct LaneRandom {
    private var s0: SIMD4<UInt64>, s1: SIMD4<UInt64>, s2: SIMD4<UInt64>, s3: SIMD4<UInt64>

    /// Four generators whose 16 state words are the next 16 draws of `random`, finalised.
    init(seededFrom random: inout RandomSource) {
        func word() -> UInt64 {
            var z = random.next()  // SplitMix64's output function: decorrelates consecutive draws
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) | 1  // never an all-zero state
        }
        s0 = SIMD4(word(), word(), word(), word())
        s1 = SIMD4(word(), word(), word(), word())
        s2 = SIMD4(word(), word(), word(), word())
        s3 = SIMD4(word(), word(), word(), word())
    }

    /// 4 × 64 random bits, viewed as eight 32-bit lanes (xoshiro256**, one step of each generator).
    @inline(__always)
    mutating func nextBits() -> SIMD8<UInt32> {
        let x5 = (s1 &<< 2) &+ s1  // s1·5 and then ·9 by shifts: AVX2 has no 64-bit lane multiply
        let rotated = (x5 &<< 7) | (x5 &>> 57)
        let result = (rotated &<< 3) &+ rotated
        let t = s1 &<< 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 &<< 45) | (s3 &>> 19)
        return unsafeBitCast(result, to: SIMD8<UInt32>.self)
    }

    /// Eight uniforms in [0, 1), the top 24 bits of each lane (every value exactly representable).
    @inline(__always)
    mutating func nextUniform() -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: nextBits() &>> 8)) * (1.0 / 16_777_216.0)
    }

    /// Sixteen standard normal deviates (Box–Muller, Box & Muller 1958): r = √(−2 ln u₁) with u₁ in
    /// (0, 1], θ = 2π·u₂; returns (r cos θ, r sin θ). 24-bit u₁ caps |z| at 5.77, beyond which the
    /// normal has mass 8e-9.
    @inline(__always)
    mutating func nextNormals() -> (SIMD8<Float>, SIMD8<Float>) {
        let u1 = (SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: nextBits() &>> 8)) + 1) * (1.0 / 16_777_216.0)
        let u2 = nextUniform()
        let radius = vectorSquareRoot(-2 * vectorLog(u1))
        let (sine, cosine) = vectorSinCosOfTurns(u2)
        return (radius * cosine, radius * sine)
    }
}
