import Testing
import GANLab

@Suite struct MetricsHistoryTests {
    private func row(_ epoch: Int) -> MetricsRow {
        MetricsRow(epoch: epoch, discriminatorLoss: 1, generatorLoss: 1, generatorGradientNorm: 1, klRealFake: 1, klFakeReal: 1,
                   js: Float(epoch), jsFloor: 0, modesMissed: .nan)
    }

    /// Records rows as a run would: at every due epoch, `secondsPerEpoch` apart.
    private func fill(_ history: inout MetricsHistory, epochs: Int, secondsPerEpoch: Double) {
        var epoch = 0
        while true {
            epoch += max(1, history.epochsUntilDue(from: epoch))
            guard epoch <= epochs else { return }
            #expect(history.epochsUntilDue(from: epoch) == 0)
            history.record(row(epoch), now: Double(epoch) * secondsPerEpoch)
        }
    }

    @Test func slowRuns_keepEveryEpoch_whileShort() {
        var history = MetricsHistory(maxRows: 100, minimumInterval: 0.1)
        fill(&history, epochs: 50, secondsPerEpoch: 1)
        #expect(history.rows.map(\.epoch) == Array(1...50))
    }

    @Test func longRuns_stayBounded_andEvenlySpaced() {
        var history = MetricsHistory(maxRows: 100, minimumInterval: 0.1)
        fill(&history, epochs: 100_000, secondsPerEpoch: 1)
        #expect(history.rows.count <= 100 && history.rows.count >= 50)
        let gaps = Set(zip(history.rows.dropFirst(), history.rows).map { $0.epoch - $1.epoch })
        #expect(gaps.count == 1, "evenly spaced: \(gaps)")
        #expect(history.rows.last!.epoch > 99_000, "recent rows kept")
    }

    @Test func fastRuns_recordAtMostOneRowPerInterval() {
        var history = MetricsHistory(maxRows: 10_000, minimumInterval: 0.1)
        fill(&history, epochs: 20_000, secondsPerEpoch: 1.0 / 20_000)  // one second at 20,000 epochs/s
        #expect(history.rows.count < 25, "\(history.rows.count) rows in one second")
        #expect(history.stride >= 1024)
    }

    @Test func decimated_spreadsOverTheWholeHistory() {
        var history = MetricsHistory(maxRows: 10_000, minimumInterval: 0)
        fill(&history, epochs: 5_000, secondsPerEpoch: 1)
        let few = history.decimated(to: 11)
        #expect(few.count == 11)
        #expect(few.first?.epoch == 1 && few.last?.epoch == 5_000)
    }

    @Test func restoredHistory_continuesAtItsStride() {
        var history = MetricsHistory(rows: [row(64), row(128), row(192)], maxRows: 100, minimumInterval: 0)
        #expect(history.stride == 64)
        #expect(history.epochsUntilDue(from: 192) == 64)
        history.clear()
        #expect(history.rows.isEmpty && history.stride == 1)
    }
}

extension MetricsHistoryTests {
    /// Trains `epochs` more at `epochsPerSecond` as a run would: the driver adapts the history before each decision
    /// and records a row at every due epoch. Returns the time at the end.
    private func run(_ history: inout MetricsHistory, from start: (epoch: Int, now: Double), epochs: Int,
                     epochsPerSecond: Double) -> (epoch: Int, now: Double) {
        var (epoch, now) = start
        let end = epoch + epochs
        while epoch < end {
            history.adapt(epoch: epoch, now: now)
            let step = min(max(1, history.epochsUntilDue(from: epoch)), end - epoch, max(1, Int(epochsPerSecond * 0.02)))
            epoch += step
            now += Double(step) / epochsPerSecond
            if history.epochsUntilDue(from: epoch) == 0 { history.record(row(epoch), now: now) }
        }
        return (epoch, now)
    }

    @Test func strideShrinks_whenTheRunSlowsDown() {
        var history = MetricsHistory(maxRows: 10_000, minimumInterval: 0.1)
        // 10 s at "max" (20,000 epochs/s) makes the stride large...
        let fast = run(&history, from: (0, 0), epochs: 200_000, epochsPerSecond: 20_000)
        #expect(history.stride >= 2048)
        let rowsBefore = history.rows.count
        // ...then 25 s at 5 epochs/s: a row per epoch again (rows stay ≥ 0.1 s apart), after at most a few intervals.
        let slow = run(&history, from: fast, epochs: 125, epochsPerSecond: 5)
        let newRows = history.rows.count - rowsBefore
        #expect(newRows >= 115, "rows in 25 s at 5 epochs/s: \(newRows)")
        #expect(history.stride == 1)
        #expect(history.rows.last?.epoch == slow.epoch)
    }

    @Test func changingRates_keepTheCapacityBound_andRowsOnItsStride() {
        var history = MetricsHistory(maxRows: 100, minimumInterval: 0.1)
        var at = (epoch: 0, now: 0.0)
        for round in 0..<20 {
            at = run(&history, from: at, epochs: round % 2 == 0 ? 40_000 : 200, epochsPerSecond: round % 2 == 0 ? 20_000 : 20)
            #expect(history.rows.count <= 100)
        }
        #expect(history.capacityStride > 1, "the history filled up")
        #expect(history.rows.allSatisfy { $0.epoch % history.capacityStride == 0 }, "thinned evenly: every row on the capacity stride")
        #expect(history.rows.last!.epoch > at.epoch - history.stride, "recent rows kept")
    }
}

@Suite struct RateLimiterTests {
    @Test func burstThenRate() {
        var limiter = RateLimiter(rate: 10, burst: 20)
        var allowed = 0
        for _ in 0..<25 where limiter.allow(now: 5) { allowed += 1 }
        #expect(allowed == 20, "the burst, then nothing")
        let refilled = limiter.allow(now: 5.1), again = limiter.allow(now: 5.1)
        #expect(refilled, "0.1 s refills one token")
        #expect(!again)
        allowed = 0
        for _ in 0..<25 where limiter.allow(now: 100) { allowed += 1 }
        #expect(allowed == 20, "refills only up to the burst")
    }
}

extension MetricsHistoryTests {
    @Test func expensiveRows_areSpacedOut_untilTheyCostAFewPercent() {
        var history = MetricsHistory(maxRows: 10_000, minimumInterval: 0.1)
        // Slow epochs (20 ms) but rows that cost 270 ms each, as in a debug build.
        var epoch = 0, now = 0.0
        while now < 600 {
            epoch += max(1, history.epochsUntilDue(from: epoch))
            now += 0.02 * Double(history.stride)
            history.record(MetricsRow(epoch: epoch, discriminatorLoss: 0, generatorLoss: 0, generatorGradientNorm: 0,
                                      klRealFake: 0, klFakeReal: 0, js: 0, jsFloor: 0, modesMissed: 0), now: now, cost: 0.27)
            now += 0.27
        }
        #expect(history.stride >= 512, "0.27 s per row is ≤ 2 % of 512 epochs × 20 ms: \(history.stride)")
    }
}
