/// The training rate over about the last second, for the frame header's `epochsPerSecond`: samples of a
/// monotonic epoch total (resets do not make it go backwards), a quarter second apart.
public struct RateMeter: Sendable, Equatable {
    private var samples: [(time: Double, total: Int)] = []
    /// Epochs trained since the run was created (or restored), never reset.
    public private(set) var total = 0

    /// An empty meter.
    public init() {}

    /// Counts `epochs` trained by `now`.
    public mutating func add(_ epochs: Int, now: Double) {
        total += epochs
        if let last = samples.last, now - last.time < 0.25 { return }
        samples.append((now, total))
        if samples.count > 6 { samples.removeFirst(samples.count - 6) }
    }

    /// Epochs per second between the oldest sample within ~1.5 s and `now` (0 after a second without training).
    public func rate(now: Double) -> Double {
        guard let first = samples.first(where: { now - $0.time <= 1.5 }), now - first.time >= 0.2 else { return 0 }
        return Double(total - first.total) / (now - first.time)
    }

    /// Equal totals and samples.
    public static func == (a: RateMeter, b: RateMeter) -> Bool {
        a.total == b.total && a.samples.map(\.time) == b.samples.map(\.time) && a.samples.map(\.total) == b.samples.map(\.total)
    }
}
