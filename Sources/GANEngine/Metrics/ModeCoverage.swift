/// How the fakes spread over a distribution's known modes: a mode-collapse indicator.
///
/// Each fake is assigned to the mode it is nearest to in units of that mode's radius (distance / radius),
/// and counts for it only if that ratio is ≤ 1; so overlapping capture discs never count a fake twice and
/// `fractions` plus `fractionOffModes` sum to 1. A mode is missed when it holds less than `minimumFraction`
/// of the fakes, by default a quarter of its fair share, 0.25 / modes.count (e.g. 3.1 % for the ring of 8).
/// Per-mode coverage follows the spirit of Arora & Zhang, "Do GANs learn the distribution?" (2017) and the
/// "modes covered" counts of Metz et al., "Unrolled GANs" (2016).
public struct ModeCoverage: Sendable, Equatable {
    /// Per mode: fraction of fakes within that mode's radius.
    public var fractions: [Double]
    /// Modes holding < minimumFraction of fakes (a mode-collapse indicator).
    public var missedModes: Int
    /// Fakes near no mode.
    public var fractionOffModes: Double

    /// The default threshold as a share of a mode's fair share 1 / modes.count.
    public static let defaultShareOfFairShare: Double = 0.25

    /// Creates a coverage value from its parts.
    public init(fractions: [Double], missedModes: Int, fractionOffModes: Double) {
        self.fractions = fractions
        self.missedModes = missedModes
        self.fractionOffModes = fractionOffModes
    }

    /// Measures coverage of `count` fakes (row-major (count, 2)) over `modes`.
    ///
    /// With no modes the result is empty with nothing missed and `fractionOffModes` 0 (nothing to measure).
    /// With no fakes every mode is missed. NaN fakes are near no mode.
    public static func measure(fakes: UnsafePointer<Float>, count: Int, modes: [DistributionMode],
                               minimumFraction: Double? = nil) -> ModeCoverage {
        guard !modes.isEmpty else { return ModeCoverage(fractions: [], missedModes: 0, fractionOffModes: 0) }
        let threshold = minimumFraction ?? defaultShareOfFairShare / Double(modes.count)
        var hits = [Int](repeating: 0, count: modes.count)
        var off = 0
        // Structure of arrays, and 1/r² instead of a division per pair.
        let centerX = modes.map(\.center.x), centerY = modes.map(\.center.y)
        let inverseRadiusSquared = modes.map { 1 / ($0.radius * $0.radius) }
        centerX.withUnsafeBufferPointer { cx in
            centerY.withUnsafeBufferPointer { cy in
                inverseRadiusSquared.withUnsafeBufferPointer { inverse in
                    // Eight fakes at a time against each mode (SIMD across fakes), then the remainder.
                    var index = 0
                    while index + 8 <= count {
                        let packed = UnsafeRawPointer(fakes + 2 * index).loadUnaligned(as: SIMD16<Float>.self)
                        let x = packed.evenHalf, y = packed.oddHalf
                        var bestRatio = SIMD8<Float>(repeating: 1)
                        var best = SIMD8<Int32>(repeating: -1)
                        for mode in 0..<cx.count {
                            let dx = x - cx[mode], dy = y - cy[mode]
                            // (d / r)² ≤ 1; NaN never compares true, so NaN fakes stay off-mode.
                            let ratio = (dx * dx + dy * dy) * inverse[mode]
                            let closer = ratio .<= bestRatio
                            bestRatio.replace(with: ratio, where: closer)
                            best.replace(with: Int32(mode), where: closer)
                        }
                        for lane in 0..<8 {
                            if best[lane] >= 0 { hits[Int(best[lane])] += 1 } else { off += 1 }
                        }
                        index += 8
                    }
                    while index < count {
                        let x = fakes[2 * index], y = fakes[2 * index + 1]
                        var bestRatio: Float = 1
                        var best = -1
                        for mode in 0..<cx.count {
                            let dx = x - cx[mode], dy = y - cy[mode]
                            let ratio = (dx * dx + dy * dy) * inverse[mode]
                            if ratio <= bestRatio {
                                bestRatio = ratio
                                best = mode
                            }
                        }
                        if best >= 0 { hits[best] += 1 } else { off += 1 }
                        index += 1
                    }
                }
            }
        }
        let scale = count > 0 ? 1 / Double(count) : 0
        let fractions = hits.map { Double($0) * scale }
        let missed = count > 0 ? fractions.filter { $0 < threshold }.count : modes.count
        return ModeCoverage(fractions: fractions, missedModes: missed, fractionOffModes: Double(off) * scale)
    }

    /// Convenience over an array of fakes, row-major (count, 2).
    public static func measure(fakes: [Float], modes: [DistributionMode], minimumFraction: Double? = nil) -> ModeCoverage {
        // An empty array may have no base address; measure zero points of a placeholder instead.
        let points = fakes.isEmpty ? [0, 0] : fakes
        return points.withUnsafeBufferPointer { buffer in
            measure(fakes: buffer.baseAddress!, count: fakes.count / 2, modes: modes, minimumFraction: minimumFraction)
        }
    }
}
