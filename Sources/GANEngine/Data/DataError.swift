/// Why a person's point set or a noise setting was rejected; each message names the field and the allowed range.
///
/// These values come from a browser or a config file, so they are errors, never traps. Floating-point
/// values are left out of the payloads so that errors stay `Equatable` even for NaN input.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// `points` was empty.
    case emptyPointSet
    /// `points` held more than `maximum` points.
    case tooManyPoints(count: Int, maximum: Int)
    /// `points[index]` had a NaN or infinite coordinate.
    case nonFiniteCoordinate(index: Int)
    /// `points[index]` lay outside [-1, 1]².
    case coordinateOutsideDomain(index: Int)
    /// `weights` had a different count than `points`.
    case weightCountMismatch(weights: Int, points: Int)
    /// `weights[index]` was negative, NaN or infinite.
    case invalidWeight(index: Int)
    /// Every weight was zero, so no point could ever be drawn.
    case allWeightsZero
    /// `jitter` was NaN or outside `DrawnDistribution.jitterRange`.
    case jitterOutOfRange
    /// The noise `dimension` was outside `NoiseDistribution.dimensionRange`.
    case noiseDimensionOutOfRange(Int)

    /// A one-line message naming the field and the allowed range.
    public var description: String {
        switch self {
        case .emptyPointSet:
            "points: the point set is empty; draw at least 1 point (at most \(DrawnDistribution.maximumPointCount))"
        case let .tooManyPoints(count, maximum):
            "points: \(count) points is too many; allowed 1...\(maximum)"
        case let .nonFiniteCoordinate(index):
            "points[\(index)]: coordinate is NaN or infinite; each coordinate must be a finite number in -1...1"
        case let .coordinateOutsideDomain(index):
            "points[\(index)]: coordinate outside the domain; x and y must each be in -1...1"
        case let .weightCountMismatch(weights, points):
            "weights: \(weights) weights for \(points) points; give exactly one weight per point or none"
        case let .invalidWeight(index):
            "weights[\(index)]: weight must be a finite number ≥ 0"
        case .allWeightsZero:
            "weights: every weight is 0; at least one weight must be > 0"
        case .jitterOutOfRange:
            "jitter: must be a number in \(DrawnDistribution.jitterRange.lowerBound)...\(DrawnDistribution.jitterRange.upperBound)"
        case let .noiseDimensionOutOfRange(dimension):
            "noise dimension: \(dimension) is out of range; allowed \(NoiseDistribution.dimensionRange.lowerBound)...\(NoiseDistribution.dimensionRange.upperBound)"
        }
    }
}
