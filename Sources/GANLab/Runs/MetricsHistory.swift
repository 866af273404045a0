/// A run's metrics over its life, bounded. Recorded whether or not anyone watches, so charts and CSV exports are
/// complete.
///
/// Two spacings, both powers of two, and a row is taken every `stride` = the larger of them:
/// - the *time* spacing follows the run's current rate: the fewest epochs that keep rows at least
///   `minimumInterval` seconds apart and measuring a row under `maximumShare` of the run's time (so metrics never
///   slow a run at "max" speed much, on any machine). It grows and shrinks with the rate: a run slowed from "max"
///   to 5 epochs/s gets a row per epoch again within `minimumInterval` or so, not after its old stride.
/// - the *capacity* spacing only grows: when more than `maxRows` are kept it doubles and the rows that are not
///   multiples of it go, so at most `maxRows` rows stay, evenly thinned.
public struct MetricsHistory: Sendable, Equatable {
    /// The rows, oldest first.
    public private(set) var rows: [MetricsRow]
    /// Epochs between rows now.
    public var stride: Int { max(timeStride, capacityStride) }
    /// The most rows kept.
    public let maxRows: Int
    /// Seconds between rows at least.
    public let minimumInterval: Double
    /// Largest share of the time since the last row that measuring a row may take.
    public static let maximumShare = 0.02
    /// Epochs between rows that the current rate calls for.
    public private(set) var timeStride: Int
    /// Epochs every kept row is a multiple of (grows when the history is full).
    public private(set) var capacityStride = 1
    private var lastRecordedAt: Double?
    private var lastCost = 0.0
    /// Where `adapt` last measured the rate from (epoch, time).
    private var probe: (epoch: Int, time: Double)?

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
        timeStride = stride
    }

    /// Epochs to train from `epoch` before the next row is due (0: record now).
    public func epochsUntilDue(from epoch: Int) -> Int {
        let last = rows.last?.epoch ?? 0
        if epoch > last && epoch % stride == 0 { return 0 }
        return (epoch / stride + 1) * stride - epoch
    }

    /// Between rows: when the run has slowed down, the stride shrinks to what the rate of the last
    /// 2 × `minimumInterval` seconds or so calls for, so the next row is not an old, long stride away. Cheap: the
    /// driver calls it before every decision.
    public mutating func adapt(epoch: Int, now: Double) {
        guard timeStride > 1 else { probe = nil; return }
        guard let probe, epoch >= probe.epoch else { probe = (epoch, now); return }
        guard now - probe.time >= 2 * minimumInterval else { return }
        let wanted = strideFor(epochs: epoch - probe.epoch, seconds: now - probe.time)
        if wanted < timeStride { timeStride = wanted }
        self.probe = (epoch, now)
    }

    /// Appends a row measured at `now` (measuring it took `cost` seconds) and applies the bounds.
    public mutating func record(_ row: MetricsRow, now: Double, cost: Double = 0) {
        let previous = rows.last
        if let last = rows.last, row.epoch <= last.epoch { rows.removeAll { $0.epoch >= row.epoch } }
        rows.append(row)
        lastCost = cost
        if let lastRecordedAt, let previous, row.epoch > previous.epoch {
            timeStride = strideFor(epochs: row.epoch - previous.epoch, seconds: now - lastRecordedAt)
        }
        lastRecordedAt = now
        probe = (row.epoch, now)
        while rows.count > maxRows {
            capacityStride *= 2
            rows.removeAll { $0.epoch % capacityStride != 0 }
        }
    }

    /// The smallest power of two of epochs that, at `epochs` per `seconds`, keeps rows `minimumInterval` apart
    /// and their cost (`lastCost`) under `maximumShare` of the time between them.
    private func strideFor(epochs: Int, seconds: Double) -> Int {
        let rate = Double(max(0, epochs)) / max(seconds, 1e-9)
        let wanted = rate * max(minimumInterval, lastCost / Self.maximumShare)
        var stride = 1
        while Double(stride) < wanted && stride < 1 << 40 { stride *= 2 }
        return stride
    }

    /// Forgets every row (a new generation starts at epoch 0).
    public mutating func clear() {
        rows.removeAll()
        timeStride = 1
        capacityStride = 1
        lastRecordedAt = nil
        lastCost = 0
        probe = nil
    }

    /// At most `count` rows, evenly spread over the history (first and last kept).
    public func decimated(to count: Int) -> [MetricsRow] {
        guard rows.count > count, count >= 2 else { return rows }
        return (0..<count).map { i in rows[Int((Double(i) * Double(rows.count - 1) / Double(count - 1)).rounded())] }
    }

    /// Equal rows and stride.
    public static func == (a: MetricsHistory, b: MetricsHistory) -> Bool { a.rows == b.rows && a.stride == b.stride }
}
