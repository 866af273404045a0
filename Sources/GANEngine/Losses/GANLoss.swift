/// The adversarial objective: which discriminator and generator losses are minimised.
///
/// The discriminator always outputs one raw score s per point (a logit for the log losses).
/// Every loss is written on s through softplus, so a saturated discriminator (|s| → ∞)
/// gives finite losses and gradients, never NaN or infinity.
public enum GANLoss: String, Sendable, CaseIterable, Equatable {
    /// Minimax (Goodfellow et al., 2014): G minimises log(1 − D(G(z))) = −softplus(s).
    /// Saturates: when D confidently rejects fakes (s ≪ 0) G's gradient vanishes.
    case saturating
    /// Non-saturating (Goodfellow et al., 2014, §3): G minimises −log D(G(z)) = softplus(−s). The default.
    case nonSaturating = "non-saturating"
    /// Least squares (LSGAN, Mao et al., 2017) on the raw score with targets 0 (fake) and 1 (real).
    case leastSquares = "least-squares"
    /// Hinge (Lim & Ye, 2017; Miyato et al., 2018): D minimises relu(1 − s_real) + relu(1 + s_fake); G minimises −s.
    case hinge
    /// Wasserstein (Arjovsky et al., 2017): D minimises s_fake − s_real with weights clipped to [−c, c]; G minimises −s.
    case wasserstein

    /// The default loss.
    public static let `default` = GANLoss.nonSaturating

    /// True for the losses whose real term has a target label that one-sided label smoothing can lower.
    public var supportsLabelSmoothing: Bool {
        switch self {
        case .saturating, .nonSaturating, .leastSquares: return true
        case .hinge, .wasserstein: return false
        }
    }

    /// How a score maps to the "probability real" shown by the decision field: σ(s) for every loss
    /// except least squares, whose optimal score already is p_real/(p_real+p_fake), shown clamped to [0, 1].
    @inline(__always)
    public func probability(fromScore s: Float) -> Float {
        self == .leastSquares ? min(max(s, 0), 1) : sigmoid(s)
    }

    /// d(probability)/ds: how the displayed D changes with the score (for ∇ₓD = this · ∇ₓs).
    @inline(__always)
    public func probabilityDerivative(fromScore s: Float) -> Float {
        if self == .leastSquares { return s > 0 && s < 1 ? 1 : 0 }
        let p = sigmoid(s)
        return p * (1 - p)
    }

    /// dℓ_G/ds for one fake with score s (the per-sample generator loss, before averaging).
    /// The view's arrows are −(dℓ_G/ds)·∇ₓs: the direction the generator's update pushes the fake.
    @inline(__always)
    public func generatorLossDerivative(fromScore s: Float) -> Float {
        switch self {
        case .saturating: return -sigmoid(s)
        case .nonSaturating: return sigmoid(s) - 1
        case .leastSquares: return s - 1
        case .hinge, .wasserstein: return -1
        }
    }

    /// Discriminator loss (mean over each half) on real scores and fake scores; writes dL/ds per row
    /// into `realGradient` and `fakeGradient`. `realTarget` is 1, or < 1 with one-sided label smoothing
    /// (Salimans et al., 2016), used only where `supportsLabelSmoothing`.
    public func discriminatorLoss(
        real: UnsafePointer<Float>, realCount: Int, fake: UnsafePointer<Float>, fakeCount: Int,
        realTarget: Float = 1,
        realGradient: UnsafeMutablePointer<Float>, fakeGradient: UnsafeMutablePointer<Float>
    ) -> Float {
        var realSum = 0.0, fakeSum = 0.0
        let realScale = realCount > 0 ? 1 / Float(realCount) : 0
        let fakeScale = fakeCount > 0 ? 1 / Float(fakeCount) : 0
        let t = realTarget
        switch self {
        case .saturating, .nonSaturating:
            // Binary cross-entropy with target t: −t·log σ(s) − (1−t)·log(1−σ(s)); d/ds = σ(s) − t.
            // softplus(−s) = softplus(s) − s. Eight scores at a time, then a scalar tail.
            var start = 0
            if realCount >= 8 || fakeCount >= 8 {
                var realLanes = SIMD8<Float>.zero, fakeLanes = SIMD8<Float>.zero
                while start &+ 8 <= realCount {
                    let s = SIMD8<Float>(loading: real + start)
                    let (sp, p) = vectorSoftplusAndSigmoid(s)
                    realLanes += t * (sp - s) + (1 - t) * sp
                    ((p - t) * realScale).store(to: realGradient + start)
                    start &+= 8
                }
                var fakeStart = 0
                while fakeStart &+ 8 <= fakeCount {
                    let (sp, p) = vectorSoftplusAndSigmoid(SIMD8<Float>(loading: fake + fakeStart))
                    fakeLanes += sp
                    (p * fakeScale).store(to: fakeGradient + fakeStart)
                    fakeStart &+= 8
                }
                realSum += Double(realLanes.sum())
                fakeSum += Double(fakeLanes.sum())
                for i in fakeStart..<fakeCount {
                    let (sp, p) = softplusAndSigmoid(fake[i])
                    fakeSum += Double(sp)
                    fakeGradient[i] = p * fakeScale
                }
                for i in start..<realCount {
                    let s = real[i]
                    let (sp, p) = softplusAndSigmoid(s)
                    realSum += Double(t * (sp - s) + (1 - t) * sp)
                    realGradient[i] = (p - t) * realScale
                }
                break
            }
            for i in 0..<realCount {
                let s = real[i]
                let (sp, p) = softplusAndSigmoid(s)
                realSum += Double(t * (sp - s) + (1 - t) * sp)
                realGradient[i] = (p - t) * realScale
            }
            // −log(1 − σ(s)) = softplus(s); d/ds = σ(s).
            for i in 0..<fakeCount {
                let (sp, p) = softplusAndSigmoid(fake[i])
                fakeSum += Double(sp)
                fakeGradient[i] = p * fakeScale
            }
        case .leastSquares:
            // ½(s − t)² and ½s² (Mao et al., 2017, eq. 2 with a = 0, b = t).
            for i in 0..<realCount {
                let d = real[i] - t
                realSum += Double(0.5 * d * d)
                realGradient[i] = d * realScale
            }
            for i in 0..<fakeCount {
                let s = fake[i]
                fakeSum += Double(0.5 * s * s)
                fakeGradient[i] = s * fakeScale
            }
        case .hinge:
            for i in 0..<realCount {
                let m = 1 - real[i]
                realSum += Double(max(m, 0))
                realGradient[i] = m > 0 ? -realScale : 0
            }
            for i in 0..<fakeCount {
                let m = 1 + fake[i]
                fakeSum += Double(max(m, 0))
                fakeGradient[i] = m > 0 ? fakeScale : 0
            }
        case .wasserstein:
            for i in 0..<realCount {
                realSum -= Double(real[i])
                realGradient[i] = -realScale
            }
            for i in 0..<fakeCount {
                fakeSum += Double(fake[i])
                fakeGradient[i] = fakeScale
            }
        }
        let realMean = realCount > 0 ? realSum / Double(realCount) : 0
        let fakeMean = fakeCount > 0 ? fakeSum / Double(fakeCount) : 0
        return Float(realMean + fakeMean)
    }

    /// Generator loss (mean over the fakes) on fake scores; writes dL/ds per row into `gradient`.
    public func generatorLoss(fake: UnsafePointer<Float>, count: Int, gradient: UnsafeMutablePointer<Float>) -> Float {
        guard count > 0 else { return 0 }
        var sum = 0.0
        let scale = 1 / Float(count)
        for i in 0..<count {
            let s = fake[i]
            switch self {
            case .saturating:
                // log(1 − σ(s)) = −softplus(s); d/ds = −σ(s) → 0 as s → −∞ (the saturation).
                let (sp, p) = softplusAndSigmoid(s)
                sum -= Double(sp)
                gradient[i] = -p * scale
            case .nonSaturating:
                // −log σ(s) = softplus(−s) = softplus(s) − s; d/ds = σ(s) − 1 → −1 as s → −∞.
                let (sp, p) = softplusAndSigmoid(s)
                sum += Double(sp - s)
                gradient[i] = (p - 1) * scale
            case .leastSquares:
                let d = s - 1
                sum += Double(0.5 * d * d)
                gradient[i] = d * scale
            case .hinge, .wasserstein:
                sum -= Double(s)
                gradient[i] = -scale
            }
        }
        return Float(sum / Double(count))
    }
}
