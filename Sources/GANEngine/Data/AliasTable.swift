/// Walker's alias method (Vose's stable construction): O(n) set-up, then O(1) draws from any discrete
/// distribution with one index and one uniform draw.
///
/// Vose, "A linear algorithm for generating random numbers with a given distribution",
/// IEEE Trans. Software Eng. 17(9), 1991.
public struct AliasTable: Sendable, Equatable {
    /// Probability of keeping column i (otherwise `aliases[i]` is returned).
    public let keepProbabilities: [Float]
    /// The alternative index of each column.
    public let aliases: [Int32]

    /// Builds the table; `weights` must be non-empty, finite, ≥ 0, with a positive sum (checked by the caller).
    public init(weights: [Float]) {
        let n = weights.count
        precondition(n > 0, "alias table needs at least one weight")
        let total = weights.reduce(0.0) { $0 + Double($1) }
        precondition(total > 0 && total.isFinite, "alias table needs a positive finite total weight")
        // Scaled so the average column holds exactly 1.
        var scaled = weights.map { Double($0) * Double(n) / total }
        var keep = [Float](repeating: 1, count: n)
        var aliases = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = Int32(i) }
            initialized = n
        }
        var small: [Int] = [], large: [Int] = []
        small.reserveCapacity(n)
        large.reserveCapacity(n)
        for (i, value) in scaled.enumerated() {
            if value < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.popLast(), let l = large.last {
            keep[s] = Float(scaled[s])
            aliases[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Whatever is left holds (up to rounding) exactly 1: always keep it.
        for i in small + large { keep[i] = 1; aliases[i] = Int32(i) }
        self.keepProbabilities = keep
        self.aliases = aliases
    }

    /// Number of outcomes.
    public var count: Int { aliases.count }

    /// Draws one index with probability proportional to its weight.
    @inline(__always)
    public func nextIndex(using random: inout RandomSource) -> Int {
        let column = random.nextIndex(below: aliases.count)
        return random.nextUniform() < keepProbabilities[column] ? column : Int(aliases[column])
    }
}
