/// A dense Float32 matrix in row-major order that owns its storage.
///
/// Why a final class and not a copy-on-write struct: layers, optimisers and work buffers all
/// write into the same few allocations every training step, and a reference with a stable
/// `data` pointer lets them do that with no uniqueness checks and no per-step allocation.
/// `rows` may shrink or grow within `capacity` (e.g. a smaller last batch) without reallocating.
public final class Matrix {
    // The hot paths read `rows` and `data` several times per layer call; the mutable state is only
    // ever touched from one thread, so dynamic exclusivity checks are turned off for these three.
    /// Number of rows currently in use.
    @exclusivity(unchecked) public private(set) var rows: Int
    /// Number of columns (fixed for the life of the matrix).
    public let columns: Int
    /// Number of rows the storage can hold without reallocating.
    @exclusivity(unchecked) public private(set) var rowCapacity: Int
    /// The first element; element (r, c) lives at `data[r * columns + c]`.
    @exclusivity(unchecked) public private(set) var data: UnsafeMutablePointer<Float>

    /// A zero-filled `rows` × `columns` matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.rowCapacity = rows
        data = .allocate(capacity: max(1, rows * columns))
        data.initialize(repeating: 0, count: max(1, rows * columns))
    }

    /// A matrix holding `values` (row-major, `rows * columns` of them).
    public convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "expected \(rows * columns) values, got \(values.count)")
        self.init(rows: rows, columns: columns)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { data.deallocate() }

    /// Number of elements in use (`rows * columns`).
    @inline(__always) public var count: Int { rows &* columns }

    /// Element at (`row`, `column`).
    @inline(__always) public subscript(row: Int, column: Int) -> Float {
        get { data[row &* columns &+ column] }
        set { data[row &* columns &+ column] = newValue }
    }

    /// Changes the number of rows in use; reallocates (zero-filled, contents lost) only when
    /// `newRows` exceeds `rowCapacity`, so a steady-state training step never allocates.
    @inline(__always)
    public func setRows(_ newRows: Int) {
        // The common case (same size every step) reads only, so it needs no exclusive access.
        if newRows == rows { return }
        precondition(newRows >= 0, "row count must be non-negative")
        if newRows > rowCapacity {
            data.deallocate()
            data = .allocate(capacity: newRows * columns)
            data.initialize(repeating: 0, count: newRows * columns)
            rowCapacity = newRows
        }
        rows = newRows
    }

    /// Sets every element in use to `value`.
    public func fill(_ value: Float) {
        data.update(repeating: value, count: count)
    }

    /// Copies the shape and contents of `other` (which must have the same column count).
    public func copy(from other: Matrix) {
        precondition(other.columns == columns, "column counts differ: \(other.columns) vs \(columns)")
        setRows(other.rows)
        data.update(from: other.data, count: count)
    }

    /// An independent copy of this matrix.
    public func clone() -> Matrix {
        let result = Matrix(rows: rows, columns: columns)
        result.data.update(from: data, count: count)
        return result
    }

    /// The elements in use, row-major.
    public var values: [Float] {
        Array(UnsafeBufferPointer(start: data, count: count))
    }

    /// True when no element in use is NaN or infinite.
    public var isFinite: Bool {
        for i in 0..<count where !data[i].isFinite { return false }
        return true
    }
}
