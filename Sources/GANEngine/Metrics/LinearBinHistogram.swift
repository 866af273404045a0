/// A 2-D histogram over [-1, 1]² in which each point spreads its unit mass over the four nearest bin
/// centres (linear binning, "cloud in cell"; Jones & Lotwick 1983, Wand 1994), so the masses, and every
/// divergence computed from them, are continuous in the point positions.
///
/// Why not nearest-bin counting: with it, data on a bin edge (the `interval` preset lies exactly on
/// y = 0, a row edge at every even resolution) jumps between rows for a move of 1e-7, and the JS
/// estimate jumps from 0.001 to 1 bit. Here a point at u bins from the first centre gives weight
/// (1 − f) to centre ⌊u⌋ and f to ⌊u⌋ + 1 along each axis (f = u − ⌊u⌋), the product across axes: moving
/// a point by δ moves at most 2(|δx| + |δy|)/w of its mass, w the bin width.
///
/// R × R square bins of width w = 2/R, bin (column, row) centred at (−1 + (column + ½)·w, −1 + (row + ½)·w),
/// masses row-major (index = row·R + column, row 0 at y = −1, y up). Between the outermost centres and the
/// border (and beyond it) a point's whole mass along that axis goes to the border bin: still continuous.
/// Points outside the square are clamped that way and counted in `outsideCount`; NaN points are counted as
/// outside and in `nonFiniteCount` but add no mass.
public struct LinearBinHistogram: Sendable, Equatable {
    /// Allowed resolutions (bins per side).
    public static let resolutionRange: ClosedRange<Int> = 1...512

    /// Bins per side.
    public let resolution: Int
    /// Mass per bin, row-major (resolution, resolution), row 0 at y = −1; each binned point adds 1 in total.
    public private(set) var masses: [Double]
    /// Points that added mass (every added point except NaN ones); the masses sum to this.
    public private(set) var total: Int = 0
    /// Added points that lay outside [-1, 1]² (clamped ones plus NaN ones).
    public private(set) var outsideCount: Int = 0
    /// Added points with a NaN coordinate (no mass).
    public private(set) var nonFiniteCount: Int = 0

    /// An empty histogram; `resolution` must be in `resolutionRange`.
    public init(resolution: Int) {
        precondition(Self.resolutionRange.contains(resolution), "histogram resolution must be in 1...512")
        self.resolution = resolution
        self.masses = [Double](repeating: 0, count: resolution * resolution)
    }

    /// Number of bins, resolution².
    public var binCount: Int { masses.count }

    /// The mass of bin (column, row).
    public func mass(column: Int, row: Int) -> Double {
        masses[row * resolution + column]
    }

    /// Empties every bin and counter, keeping the storage (no allocation).
    public mutating func reset() {
        masses.withUnsafeMutableBufferPointer { bins in
            for index in bins.indices { bins[index] = 0 }
        }
        total = 0
        outsideCount = 0
        nonFiniteCount = 0
    }

    /// Adds `count` points, row-major (count, 2), each spreading unit mass over its four nearest centres.
    /// Allocates nothing.
    public mutating func add(points: UnsafePointer<Float>, count: Int) {
        let resolution = resolution
        var binned = 0, outside = 0, nonFinite = 0
        masses.withUnsafeMutableBufferPointer { bins in
            for index in 0..<count {
                let x = points[2 * index], y = points[2 * index + 1]
                if x.isNaN || y.isNaN {
                    nonFinite += 1
                    continue
                }
                if !(x >= -1 && x <= 1 && y >= -1 && y <= 1) { outside += 1 }
                let (column, right) = Self.spread(x, resolution)
                let (row, up) = Self.spread(y, resolution)
                let left = 1 - right, down = 1 - up
                let nextColumn = min(column + 1, resolution - 1), nextRow = min(row + 1, resolution - 1)
                bins[row * resolution + column] += down * left
                bins[row * resolution + nextColumn] += down * right
                bins[nextRow * resolution + column] += up * left
                bins[nextRow * resolution + nextColumn] += up * right
                binned += 1
            }
        }
        total += binned
        outsideCount += outside + nonFinite
        nonFiniteCount += nonFinite
    }

    /// Along one axis, for a non-NaN coordinate: the lower of the two nearest centres (0 ..< resolution) and
    /// the share of the mass that goes to the next one up. Coordinates beyond the outermost centres
    /// (±∞ included) give their whole mass to the border bin.
    @inline(__always)
    public static func spread(_ value: Float, _ resolution: Int) -> (lower: Int, upperWeight: Double) {
        // u = position in units of bins, measured from the first centre.
        let u = (Double(value) + 1) * 0.5 * Double(resolution) - 0.5
        if !(u > 0) { return (0, 0) }
        let last = Double(resolution - 1)
        if u >= last { return (resolution - 1, 0) }
        let lower = u.rounded(.down)
        return (Int(lower), u - lower)
    }
}
