/// A run's metrics over its life, bounded: a row every `stride` epochs, the stride doubling whenever rows
/// would come faster than `minimumInterval` seconds (so metrics never slow a run at "max" speed much) or the
/// history is full (then the rows that are not multiples of the new stride go, which keeps them evenly spaced).
/// Recorded whether or not anyone watches, so charts and CSV exports are complete.
public struct MetricsHistory: Sendable, Equatable {
    /// The rows, oldest first.
    public private(set) var rows: [MetricsRow]
    /// Epochs between rows now.
    public private(set) var stride: Int
    /// The most rows kept.
    public let maxRows: Int
    /// Seconds between rows at least.
    public let minimumInterval: Double
    private var lastRecordedAt: Double?

    /// A history continuing `rows` (e.g. restored), whose stride is the spacing of the last two.
    public init(rows: [MetricsRow] = [], maxRows: Int, minimumInterval: Double) {
        precondition(maxRows >= 4, "a history needs room for a few rows")
        self.rows = Array(rows.suffix(maxRows))
        self.maxRows = maxRows
        self.minimumInterval = minimumInterval
        var stride = 1
        if rows.count >= 2 {
            let gap = rows[rows.count - 1].epoch - rows[rows.count - 2].epoch
            while stride < gap { stride *= 2 }
        }
        self.stride = stride
    }

    /// Epochs to train from `epoch` before the next row is due (0: record now).
    public func epochsUntilDue(from epoch: Int) -> Int {
        let last = rows.last?.epoch ?? 0
        if epoch > last && epoch % stride == 0 { return 0 }
        return (epoch / stride + 1) * stride - epoch
    }

    /// Appends a row measured at `now` and applies the bounds.
    public mutating func record(_ row: MetricsRow, now: Double) {
        if let last = rows.last, row.epoch <= last.epoch { rows.removeAll { $0.epoch >= row.epoch } }
        rows.append(row)
        if let lastRecordedAt, now - lastRecordedAt < minimumInterval { stride *= 2 }
        lastRecordedAt = now
        while rows.count > maxRows {
            stride *= 2
            rows.removeAll { $0.epoch % stride != 0 }
        }
    }

    /// Forgets every row (a new generation starts at epoch 0).
    public mutating func clear() {
        rows.removeAll()
        stride = 1
        lastRecordedAt = nil
    }

    /// At most `count` rows, evenly spread over the history (first and last kept).
    public func decimated(to count: Int) -> [MetricsRow] {
        guard rows.count > count, count >= 2 else { return rows }
        return (0..<count).map { i in rows[Int((Double(i) * Double(rows.count - 1) / Double(count - 1)).rounded())] }
    }

    /// Equal rows and stride.
    public static func == (a: MetricsHistory, b: MetricsHistory) -> Bool { a.rows == b.rows && a.stride == b.stride }
}
