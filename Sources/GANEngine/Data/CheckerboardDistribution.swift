/// Uniform points on the dark squares of a checkerboard centred in the domain.
///
/// A `size`×`size` board of squares of side `cellSide`; the dark squares are those whose (column + row) is
/// even, counting from the bottom-left. Each dark square is one mode, with its inscribed circle
/// (radius cellSide/2) as capture radius: a fake in the square's corners does not count, one in a light
/// neighbour never does.
public struct CheckerboardDistribution: RealDistribution, Equatable {
    /// Squares per side.
    public var size: Int
    /// Side length of one square.
    public var cellSide: Float

    /// Creates a board; it must fit in the domain (size · cellSide ≤ 2).
    public init(size: Int, cellSide: Float) {
        precondition(size >= 1 && cellSide > 0 && Float(size) * cellSide <= 2, "board must fit in [-1, 1]²")
        self.size = size
        self.cellSide = cellSide
    }

    /// Bottom-left corner of the board.
    private var origin: Float { -Float(size) * cellSide / 2 }

    /// The (column, row) of each dark square, in drawing order.
    public var darkSquares: [(column: Int, row: Int)] {
        var squares: [(column: Int, row: Int)] = []
        for row in 0..<size {
            for column in 0..<size where (column + row) % 2 == 0 { squares.append((column, row)) }
        }
        return squares
    }

    /// One mode per dark square: its centre, radius half a side.
    public var modes: [DistributionMode] {
        darkSquares.map { square in
            let center = SIMD2(origin + (Float(square.column) + 0.5) * cellSide, origin + (Float(square.row) + 0.5) * cellSide)
            return DistributionMode(center: center, radius: cellSide / 2)
        }
    }

    /// Picks a dark square uniformly, then a uniform point inside it.
    public func sample(count: Int, into buffer: UnsafeMutablePointer<Float>, using random: inout RandomSource) {
        let darkCount = (size * size + 1) / 2
        for index in 0..<count {
            let k = random.nextIndex(below: darkCount)
            let (column, row) = Self.darkSquare(k, size: size)
            buffer[2 * index] = origin + (Float(column) + random.nextUniform()) * cellSide
            buffer[2 * index + 1] = origin + (Float(row) + random.nextUniform()) * cellSide
        }
    }

    /// The k-th dark square (column + row even) in row-major order, without allocating.
    static func darkSquare(_ k: Int, size: Int) -> (column: Int, row: Int) {
        // Rows alternate ⌈size/2⌉ dark squares (even rows) and ⌊size/2⌋ (odd rows).
        let evenRowCount = (size + 1) / 2, oddRowCount = size / 2
        let pair = evenRowCount + oddRowCount
        var row = 2 * (k / pair)
        var rest = k % pair
        if rest >= evenRowCount {
            row += 1
            rest -= evenRowCount
            return (2 * rest + 1, row)
        }
        return (2 * rest, row)
    }
}
