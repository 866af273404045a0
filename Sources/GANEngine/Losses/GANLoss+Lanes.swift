/// The generator loss eight scores at a time, for the fused path (`FusedTrainingPath`).
///
/// `generatorLoss` (one score at a time with scalar exp/log) is its reference and stays the general
/// path's arithmetic, so "reference" runs on the general path replay bit for bit across builds
/// (ReferenceReplayTests); GANLossTests compares the two.
extension GANLoss {
    /// The same value and dL/ds as `generatorLoss`; the log losses' full blocks of eight go through
    /// `vectorSoftplusAndSigmoid`, the other losses and the tail through `generatorLoss` itself.
    func laneGeneratorLoss(fake: UnsafePointer<Float>, count: Int, gradient: UnsafeMutablePointer<Float>) -> Float {
        guard count > 0, self == .saturating || self == .nonSaturating else {
            return generatorLoss(fake: fake, count: count, gradient: gradient)
        }
        let scale = 1 / Float(count), blocks = count & ~7
        var lanes = SIMD8<Float>.zero
        var start = 0
        while start < blocks {
            let s = SIMD8<Float>(loading: fake + start)
            let (sp, p) = vectorSoftplusAndSigmoid(s)
            if self == .saturating {
                lanes -= sp  // log(1 − σ(s)) = −softplus(s); d/ds = −σ(s)
                (-p * scale).store(to: gradient + start)
            } else {
                lanes += sp - s  // −log σ(s) = softplus(s) − s; d/ds = σ(s) − 1
                ((p - 1) * scale).store(to: gradient + start)
            }
            start &+= 8
        }
        var sum = Double(lanes.sum())
        if blocks < count {
            // The tail's mean over its own scores, weighted back to the whole batch, with dL/ds rescaled alike.
            let tail = count - blocks
            sum += Double(generatorLoss(fake: fake + blocks, count: tail, gradient: gradient + blocks)) * Double(tail)
            let rescale = Float(tail) * scale
            for i in blocks..<count { gradient[i] *= rescale }
        }
        return Float(sum / Double(count))
    }
}
