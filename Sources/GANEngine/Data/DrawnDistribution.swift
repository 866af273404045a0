/// A person's own point set, as the page's drawing tool sends it: up to 20,000 points in [-1, 1]² with
/// optional per-point weights, sampled by picking a point (alias method, O(1)) and adding Gaussian jitter.
///
/// The reference picks a recorded stroke point uniformly and adds N(0, 0.02²) in the unit square
/// (reference notes §2.3), i.e. σ = 0.04 in our domain: the default jitter. Weights let the page express
/// brush density without sending duplicate points. The jitter is redrawn if it would leave the domain.
public struct DrawnDistribution: RealDistribution {
    /// The most points a drawing may hold.
    public static let maximumPointCount: Int = 20_000
    /// Allowed jitter σ, in domain units (0 = the exact points).
    public static let jitterRange: ClosedRange<Float> = 0...0.5
    /// The default jitter σ: the reference's 0.02 mapped to our domain.
    public static let defaultJitter: Float = 0.04

    /// The points, row-major (count, 2).
    public let coordinates: [Float]
    /// The per-point weights as given (all 1 when none were given).
    public let weights: [Float]
    /// Standard deviation of the Gaussian jitter on each axis.
    public let jitter: Float
    /// Alias table over the weights; nil when all points are equally likely.
    private let table: AliasTable?

    /// Validates and stores a point set; throws with the offending field, index and allowed range.
    public init(points: [SIMD2<Float>], weights: [Float]? = nil, jitter: Float = 0.04) throws(DataError) {
        guard !points.isEmpty else { throw .emptyPointSet }
        guard points.count <= Self.maximumPointCount else {
            throw .tooManyPoints(count: points.count, maximum: Self.maximumPointCount)
        }
        guard Self.jitterRange.contains(jitter) else { throw .jitterOutOfRange }  // false for NaN
        for (index, point) in points.enumerated() {
            guard point.x.isFinite && point.y.isFinite else { throw .nonFiniteCoordinate(index: index) }
            guard Domain.contains(point) else { throw .coordinateOutsideDomain(index: index) }
        }
        if let weights {
            guard weights.count == points.count else {
                throw .weightCountMismatch(weights: weights.count, points: points.count)
            }
            var total = 0.0
            for (index, weight) in weights.enumerated() {
                guard weight.isFinite && weight >= 0 else { throw .invalidWeight(index: index) }
                total += Double(weight)
            }
            guard total > 0 else { throw .allWeightsZero }
            // Equal weights need no table: a uniform index is exact and cheaper.
            let first = weights[0]
            table = weights.allSatisfy { $0 == first } ? nil : AliasTable(weights: weights)
            self.weights = weights
        } else {
            table = nil
            self.weights = [Float](repeating: 1, count: points.count)
        }
        var coordinates = [Float]()
        coordinates.reserveCapacity(2 * points.count)
        for point in points {
            coordinates.append(point.x)
            coordinates.append(point.y)
        }
        self.coordinates = coordinates
        self.jitter = jitter
    }

    /// Number of points in the set.
    public var pointCount: Int { coordinates.count / 2 }

    /// A drawing has no known modes; coverage falls back to the divergence estimates.
    public var modes: [DistributionMode] { [] }

    /// Picks a point by weight (O(1)) and adds jitter N(0, jitter²) per axis, truncated to the domain.
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let n = pointCount
        coordinates.withUnsafeBufferPointer { points in
            let tables = ZigguratTables.shared
            for index in 0..<count {
                let chosen = table?.nextIndex(using: &random) ?? random.nextIndex(below: n)
                let center = SIMD2(points[2 * chosen], points[2 * chosen + 1])
                let point = random.nextPointInDomain(center: center, sigma: SIMD2(repeating: jitter), tables: tables)
                buffer[2 * index] = point.x
                buffer[2 * index + 1] = point.y
            }
        }
    }
}
