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
