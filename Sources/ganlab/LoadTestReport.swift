import Foundation

/// The load test's figures, as text or one JSON object.
struct LoadTestReport {
    /// "runs" or "viewers".
    let scenario: String
    let runs: Int
    let viewers: Int
    let dropped: Int
    let framesPerViewerPerSecond: (mean: Double, min: Double)
    let gaps: (p50: Double, p99: Double, max: Double)
    let controllerLatency: (p50: Double, p99: Double, max: Double, count: Int)
    let viewerLatency: (p50: Double, p99: Double, max: Double, count: Int)
    let serverCPU: Double?
    let memoryPerRun: Double?
    let memoryPerViewer: Double?
    let residentBytes: Double?

    /// The figures from what the viewers and probes recorded over `seconds`.
    init(scenario: String, runs: Int, connections: [LoadTestViewer], probes: [LoadTestProbe], seconds: Double,
         serverCPU: Double?, idleMemory: Double?, loadedMemory: Double?) {
        self.scenario = scenario
        self.runs = runs
        viewers = connections.count
        dropped = connections.filter(\.isDropped).count
        let rates = connections.map { Double($0.frames) / seconds }
        framesPerViewerPerSecond = (rates.reduce(0, +) / Double(max(1, rates.count)), rates.min() ?? 0)
        gaps = Self.percentiles(connections.flatMap(\.gaps))
        let c = Self.percentiles(probes.flatMap(\.controllerLatencies))
        controllerLatency = (c.p50, c.p99, c.max, probes.map(\.controllerLatencies.count).reduce(0, +))
        let v = Self.percentiles(probes.flatMap(\.viewerLatencies))
        viewerLatency = (v.p50, v.p99, v.max, probes.map(\.viewerLatencies.count).reduce(0, +))
        self.serverCPU = serverCPU
        residentBytes = loadedMemory
        if let idleMemory, let loadedMemory {
            memoryPerRun = scenario == "runs" ? (loadedMemory - idleMemory) / Double(runs) : nil
            memoryPerViewer = scenario == "viewers" ? (loadedMemory - idleMemory) / Double(max(1, viewers)) : nil
        } else {
            memoryPerRun = nil
            memoryPerViewer = nil
        }
    }

    /// What is functionally wrong (dropped viewers, a viewer without frames, no probe answered), if anything.
    var functionalProblem: String? {
        if dropped > 0 { return "\(dropped) of \(viewers) connections were dropped" }
        if framesPerViewerPerSecond.min <= 0 { return "a viewer received no frames" }
        if controllerLatency.count == 0 { return "no pause/play probe was answered by a frame" }
        return nil
    }

    /// p50, p99 and max (NaN when empty).
    static func percentiles(_ values: [Double]) -> (p50: Double, p99: Double, max: Double) {
        guard !values.isEmpty else { return (.nan, .nan, .nan) }
        let sorted = values.sorted()
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))] }
        return (at(0.5), at(0.99), sorted.last!)
    }

    private func ms(_ s: Double) -> String { s.isFinite ? String(format: "%.1f", s * 1000) : "-" }

    /// The report for a person.
    var text: String {
        var lines = [
            "scenario \(scenario): \(runs) run(s), \(viewers) connection(s), \(dropped) dropped",
            "frames per viewer per second: mean \(String(format: "%.1f", framesPerViewerPerSecond.mean)), min \(String(format: "%.1f", framesPerViewerPerSecond.min))",
            "gap between frames: p50 \(ms(gaps.p50)) ms, p99 \(ms(gaps.p99)) ms, max \(ms(gaps.max)) ms",
            "command to frame (controller, \(controllerLatency.count)): p50 \(ms(controllerLatency.p50)) ms, p99 \(ms(controllerLatency.p99)) ms, max \(ms(controllerLatency.max)) ms",
            "pause to frame (every viewer, \(viewerLatency.count)): p50 \(ms(viewerLatency.p50)) ms, p99 \(ms(viewerLatency.p99)) ms, max \(ms(viewerLatency.max)) ms",
        ]
        if let serverCPU { lines.append("server CPU: \(String(format: "%.2f", serverCPU)) cores") }
        if let residentBytes { lines.append("server resident memory: \(String(format: "%.1f", residentBytes / 1_048_576)) MiB") }
        if let memoryPerRun { lines.append("memory per run: \(String(format: "%.0f", memoryPerRun / 1024)) KiB") }
        if let memoryPerViewer { lines.append("memory per viewer: \(String(format: "%.1f", memoryPerViewer / 1024)) KiB") }
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object.
    var json: String {
        func n(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.4f", $0) : "null" } ?? "null" }
        return "{\"scenario\":\"\(scenario)\",\"runs\":\(runs),\"viewers\":\(viewers),\"dropped\":\(dropped),"
            + "\"fps_mean\":\(n(framesPerViewerPerSecond.mean)),\"fps_min\":\(n(framesPerViewerPerSecond.min)),"
            + "\"gap_p50_ms\":\(n(gaps.p50 * 1000)),\"gap_p99_ms\":\(n(gaps.p99 * 1000)),\"gap_max_ms\":\(n(gaps.max * 1000)),"
            + "\"command_p50_ms\":\(n(controllerLatency.p50 * 1000)),\"command_p99_ms\":\(n(controllerLatency.p99 * 1000)),"
            + "\"pause_viewers_p99_ms\":\(n(viewerLatency.p99 * 1000)),\"server_cpu_cores\":\(n(serverCPU)),"
            + "\"rss_mib\":\(n(residentBytes.map { $0 / 1_048_576 })),\"kib_per_run\":\(n(memoryPerRun.map { $0 / 1024 })),"
            + "\"kib_per_viewer\":\(n(memoryPerViewer.map { $0 / 1024 }))}"
    }
}
