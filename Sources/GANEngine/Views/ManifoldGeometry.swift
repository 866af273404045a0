/// The generator-manifold view's geometry: the noise lattice G is applied to, and the relative density of
/// each warped cell (how much noise probability lands per unit of output area).
///
/// The reference draws a 21×21 lattice (20×20 cells) through G and shades each quadrilateral by its shoelace
/// area (reference notes §3.5); for Gaussian noise it multiplies by the untruncated density at the cell's
/// centre. Here a cell's noise mass is exact (the truncated normal's CDF, or the uniform's share), divided
/// by its warped area and normalised so the mean over cells is 1: 1 = average density, 2 = twice as dense.
public enum ManifoldGeometry {
    /// The reference's lattice size: 20 × 20 cells.
    public static let defaultCells = 20
    /// Allowed cells per side.
    public static let cellsRange: ClosedRange<Int> = 1...256
    /// A cell whose warped area (or 1-D length) is below this fraction of the mean is treated as having
    /// this fraction: folded or collapsed cells then read as at most about 100× denser than an average one,
    /// never as infinite.
    public static let minimumAreaFraction: Double = 0.01

    /// The noise lattice: (cells+1)² points row-major (count, 2) over [-1,1]² for 2-D noise, or cells+1 points (count, 1) for 1-D.
    ///
    /// Point (i, j) — i along the first noise axis, j along the second — is row j·(cells+1) + i, at
    /// (−1 + 2i/cells, −1 + 2j/cells). For noise of more than 2 dimensions the rows have `dimension` columns:
    /// the lattice spans the first two and the rest stay 0 (the noise mean), a slice through the centre.
    public static func noiseLattice(cells: Int, dimension: Int) -> [Float] {
        precondition(cellsRange.contains(cells), "lattice cells must be in 1...256")
        precondition(NoiseDistribution.dimensionRange.contains(dimension), "noise dimension must be in 1...8")
        let side = cells + 1
        let step = 2 / Float(cells)
        if dimension == 1 { return (0..<side).map { -1 + Float($0) * step } }
        var lattice = [Float](repeating: 0, count: side * side * dimension)
        for j in 0..<side {
            for i in 0..<side {
                let row = (j * side + i) * dimension
                lattice[row] = -1 + Float(i) * step
                lattice[row + 1] = -1 + Float(j) * step
            }
        }
        return lattice
    }

    /// Relative density of each of the cells² warped cells (2-D noise): noise probability mass of the cell divided by its
    /// warped area (shoelace), normalised so the mean over cells is 1. `mapped` is G applied to `noiseLattice`, row-major ((cells+1)², 2).
    ///
    /// Cell (i, j) is entry j·cells + i, with corners (i, j), (i+1, j), (i+1, j+1), (i, j+1). A folded
    /// (self-intersecting) cell's shoelace area can be near 0; such cells, collapsed ones, and cells below
    /// `minimumAreaFraction` of the mean area are floored to it. A cell with a NaN or infinite corner gets
    /// density 0. For noise of more than 2 dimensions this is the density of the 2-D slice.
    public static func cellDensities(mapped: UnsafePointer<Float>, cells: Int, noise: NoiseDistribution) -> [Float] {
        precondition(cellsRange.contains(cells), "lattice cells must be in 1...256")
        let side = cells + 1
        let step = 2 / Float(cells)
        // Noise mass per lattice interval along one axis; a cell's mass is the product (independent axes).
        let axisMass = (0..<cells).map { noise.probability(from: -1 + Float($0) * step, to: -1 + Float($0 + 1) * step) }
        @inline(__always) func point(_ i: Int, _ j: Int) -> SIMD2<Double> {
            let row = 2 * (j * side + i)
            return SIMD2(Double(mapped[row]), Double(mapped[row + 1]))
        }
        var areas = [Double](repeating: .nan, count: cells * cells)
        for j in 0..<cells {
            for i in 0..<cells {
                areas[j * cells + i] = quadrilateralArea(point(i, j), point(i + 1, j), point(i + 1, j + 1), point(i, j + 1))
            }
        }
        var masses = [Double](repeating: 0, count: cells * cells)
        for j in 0..<cells {
            for i in 0..<cells { masses[j * cells + i] = axisMass[i] * axisMass[j] }
        }
        return normalisedDensities(masses: masses, sizes: areas)
    }

    /// Relative density along the mapped curve for 1-D noise: noise mass of each of the `segments` lattice
    /// intervals divided by the length of its image, normalised to mean 1. `mapped` is G applied to the 1-D
    /// `noiseLattice`, row-major (segments+1, 2).
    public static func segmentDensities(mapped: UnsafePointer<Float>, segments: Int, noise: NoiseDistribution) -> [Float] {
        precondition(cellsRange.contains(segments), "lattice cells must be in 1...256")
        let step = 2 / Float(segments)
        var lengths = [Double](repeating: .nan, count: segments)
        var masses = [Double](repeating: 0, count: segments)
        for k in 0..<segments {
            let dx = Double(mapped[2 * k + 2]) - Double(mapped[2 * k])
            let dy = Double(mapped[2 * k + 3]) - Double(mapped[2 * k + 1])
            lengths[k] = (dx * dx + dy * dy).squareRoot()
            masses[k] = noise.probability(from: -1 + Float(k) * step, to: -1 + Float(k + 1) * step)
        }
        return normalisedDensities(masses: masses, sizes: lengths)
    }

    /// Area of a polygon by the shoelace formula, ½ |Σ (x_k y_{k+1} − x_{k+1} y_k)| (NaN if a vertex is not finite).
    public static func shoelaceArea(_ vertices: [SIMD2<Double>]) -> Double {
        var twiceSigned = 0.0
        for k in vertices.indices {
            let a = vertices[k], b = vertices[(k + 1) % vertices.count]
            twiceSigned += a.x * b.y - b.x * a.y
        }
        return twiceSigned.isFinite ? abs(twiceSigned) / 2 : .nan
    }

    /// The shoelace area of quadrilateral abcd without allocating: ½ |(c − a) × (d − b)| (NaN if not finite).
    @inline(__always)
    static func quadrilateralArea(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>, _ d: SIMD2<Double>) -> Double {
        // For a quadrilateral the shoelace sum equals the cross product of its diagonals.
        let p = c - a, q = d - b
        let twiceSigned = p.x * q.y - p.y * q.x
        return twiceSigned.isFinite ? abs(twiceSigned) / 2 : .nan
    }

    /// mass / max(size, minimumAreaFraction · mean size), 0 where the size is not finite, scaled to mean 1.
    private static func normalisedDensities(masses: [Double], sizes: [Double]) -> [Float] {
        let finite = sizes.filter(\.isFinite)
        guard !finite.isEmpty else { return [Float](repeating: 0, count: sizes.count) }
        let meanSize = finite.reduce(0, +) / Double(finite.count)
        // If every cell collapsed to a point the floor is tiny but positive: densities follow the masses.
        let floorSize = max(minimumAreaFraction * meanSize, Double.leastNormalMagnitude)
        let raw = zip(masses, sizes).map { mass, size in size.isFinite ? mass / max(size, floorSize) : 0 }
        let mean = raw.reduce(0, +) / Double(raw.count)
        guard mean > 0 && mean.isFinite else { return [Float](repeating: 0, count: sizes.count) }
        return raw.map { Float($0 / mean) }
    }
}
