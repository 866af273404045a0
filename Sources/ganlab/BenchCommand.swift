import ArgumentParser
import GANEngine
#if canImport(Glibc)
import Glibc
#endif

/// `ganlab bench`: training and view throughput on one thread, as JSON lines or a table.
///
/// Training cases also report `cpu_epochs_per_s` (epochs per second of this thread's CPU time):
/// on a shared machine wall time also counts the time other processes held the core.
struct BenchCommand: ParsableCommand {
    /// Name and abstract for `--help`.
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training speed (epochs/s, GFLOP/s), view time and single-thread sgemm peak."
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Seconds to time each case (0.1...60).")
    var seconds: Double = 1.0

    @Flag(help: "Also print the data and metrics timings (MetricsBenchmark), one line each, in microseconds.")
    var metrics = false

    @Option(help: "Run only this case: default, medium, large, views or peak_gflops.")
    var only: String?

    /// Range checks of the flags.
    func validate() throws {
        if let only, !["default", "medium", "large", "views", "peak_gflops"].contains(only) {
            throw ValidationError("--only = \(only) is not a case; allowed: default, medium, large, views, peak_gflops")
        }
        guard (0.1...60).contains(seconds) else { throw ValidationError("--seconds = \(seconds) is out of range; allowed: 0.1...60") }
    }

    /// Runs the selected cases on one thread and prints one line per case.
    func run() throws {
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        GEMM.setThreadCount(1)
        let cases: [(String, Int, Int, Int)] = [("default", 2, 8, 150), ("medium", 2, 64, 256), ("large", 3, 256, 1024)]
        for (name, layers, neurons, batch) in cases where only == nil || only == name {
            let result = try Benchmark.training(layers: layers, neurons: neurons, batchSize: batch, seconds: seconds)
            report(name, [("epochs_per_s", result.epochsPerSecond), ("ms_per_epoch", result.millisecondsPerEpoch),
                          ("gflops", result.gigaflops), ("cpu_epochs_per_s", result.epochsPerCPUSecond)])
        }
        if only == nil || only == "views" {
            report("views", [("ms", try Benchmark.views(seconds: seconds))])
        }
        if only == nil || only == "peak_gflops" {
            report("peak_gflops", [("gflops", Benchmark.peakGigaflops())])
        }
        if metrics {
            for result in MetricsBenchmark.run() { report("metrics." + result.name, [("us", result.microseconds)]) }
        }
    }

    private func report(_ name: String, _ values: [(String, Double)]) {
        if json {
            let fields = values.map { "\"\($0.0)\":\(format($0.1))" }.joined(separator: ",")
            print("{\"name\":\"\(name)\",\(fields)}")
        } else {
            let fields = values.map { "\($0.0) \(format($0.1))" }.joined(separator: "  ")
            print(name + String(repeating: " ", count: max(1, 12 - name.count)) + fields)
        }
        fflush(stdout)
    }

    private func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(Double(Int((value * 1000).rounded())) / 1000)
    }
}
