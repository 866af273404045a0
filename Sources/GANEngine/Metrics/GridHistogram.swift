/// Counts of 2-D points in a resolution × resolution grid of equal square bins over [-1, 1]².
///
/// Bin (column, row) covers x ∈ [-1 + column·w, -1 + (column+1)·w), y likewise, w = 2 / resolution; the last
/// column and row also hold x = 1 and y = 1. Points outside the square are clamped to the nearest border bin
/// and counted in `outsideCount` (the reference drops or aliases them, notes §3.8). NaN points are counted as
/// outside and in `nonFiniteCount` but go in no bin. Counts are row-major: index = row · resolution + column,
/// row 0 at the bottom (y up).
public struct GridHistogram: Sendable, Equatable {
    /// Allowed resolutions (bins per side).
    public static let resolutionRange: ClosedRange<Int> = 1...512

    /// Bins per side.
    public let resolution: Int
    /// Count per bin, row-major (resolution, resolution), row 0 at y = -1.
    public private(set) var counts: [Int]
    /// Points in bins (every added point except NaN ones).
    public private(set) var total: Int = 0
    /// Added points that lay outside [-1, 1]² (clamped ones plus NaN ones).
    public private(set) var outsideCount: Int = 0
    /// Added points with a NaN coordinate (not binned).
    public private(set) var nonFiniteCount: Int = 0

    /// Creates an empty histogram; `resolution` must be in `resolutionRange`.
    public init(resolution: Int) {
        precondition(Self.resolutionRange.contains(resolution), "histogram resolution must be in 1...512")
        self.resolution = resolution
        self.counts = [Int](repeating: 0, count: resolution * resolution)
    }

    /// Number of bins, resolution².
    public var binCount: Int { counts.count }

    /// The bin index of a point, clamping outside points to the border; nil for NaN.
    @inline(__always)
    public func binIndex(x: Float, y: Float) -> Int? {
        guard !x.isNaN && !y.isNaN else { return nil }
        return Self.cell(y, resolution) * resolution + Self.cell(x, resolution)
    }

    /// The count of bin (column, row).
    public func count(column: Int, row: Int) -> Int {
        counts[row * resolution + column]
    }

    /// Empties every bin and counter, keeping the storage (no allocation).
    public mutating func reset() {
        counts.withUnsafeMutableBufferPointer { bins in
            for index in bins.indices { bins[index] = 0 }
        }
        total = 0
        outsideCount = 0
        nonFiniteCount = 0
    }

    /// Adds `count` points, row-major (count, 2). Allocates nothing.
    public mutating func add(points: UnsafePointer<Float>, count: Int) {
        let resolution = resolution
        var binned = 0, outside = 0, nonFinite = 0
        counts.withUnsafeMutableBufferPointer { bins in
            for index in 0..<count {
                let x = points[2 * index], y = points[2 * index + 1]
                if x.isNaN || y.isNaN {
                    nonFinite += 1
                    continue
                }
                if !(x >= -1 && x <= 1 && y >= -1 && y <= 1) { outside += 1 }
                bins[Self.cell(y, resolution) * resolution + Self.cell(x, resolution)] += 1
                binned += 1
            }
        }
        total += binned
        outsideCount += outside + nonFinite
        nonFiniteCount += nonFinite
    }

    /// The bin along one axis of a non-NaN coordinate, clamped to 0 ..< resolution (±∞ included).
    @inline(__always)
    static func cell(_ value: Float, _ resolution: Int) -> Int {
        let scaled = (value + 1) * 0.5 * Float(resolution)
        if !(scaled >= 0) { return 0 }
        if scaled >= Float(resolution) { return resolution - 1 }
        return Int(scaled)
    }
}
