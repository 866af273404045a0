/// A distribution of real 2-D points the discriminator learns from, in the fixed domain [-1, 1]² (y up).
///
/// Every preset and every drawn point set conforms. Sampling writes into a caller-owned buffer so the
/// training step allocates nothing; every draw goes through the run's one `RandomSource`.
public protocol RealDistribution: Sendable {
    /// Writes `count` samples, row-major (count, 2), into buffer[0 ..< 2*count].
    func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource)
    /// Known mixture modes for coverage; empty when the shape has no discrete modes (line, moons, drawing...).
    var modes: [DistributionMode] { get }
}

extension RealDistribution {
    /// Draws `count` samples into a new array, row-major (count, 2): convenient outside the training step.
    public func samples(count: Int, using random: inout RandomSource) -> [Float] {
        precondition(count >= 0, "count must not be negative")
        var result = [Float](repeating: 0, count: 2 * count)
        result.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { sample(count: count, into: base, using: &random) }
        }
        return result
    }
}
