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

    @Flag(help: "Also compare the small GEMM kernels with OpenBLAS on the engine's shapes (microseconds per call).")
    var gemm = false

    @Option(name: .customLong("gemm-backend"), help: "Matrix products: automatic (default), blas or small.")
    var gemmBackend: String = "automatic"

    @Option(help: "Run only this case: \(Self.caseNames.joined(separator: ", ")).")
    var only: String?

    @Option(help: "Train exactly this many epochs per training case (runs64: rounds of 64) instead of timing (1...1000000): fixed work for callgrind instruction counts.")
    var epochs: Int?

    @Option(help: "Training path: automatic (the fused batch-in-lanes path where it applies; default) or general.")
    var path: String = "automatic"

    /// Every case `--only` accepts.
    static let caseNames = ["default", "default_stabilised", "medium", "large", "runs64", "views", "peak_gflops", "gemm", "metrics", "frame"]

    /// Range checks of the flags.
    func validate() throws {
        if let only, !Self.caseNames.contains(only) {
            throw ValidationError("--only = \(only) is not a case; allowed: \(Self.caseNames.joined(separator: ", "))")
        }
        guard (0.1...60).contains(seconds) else { throw ValidationError("--seconds = \(seconds) is out of range; allowed: 0.1...60") }
        if let epochs, !(1...1_000_000).contains(epochs) {
            throw ValidationError("--epochs = \(epochs) is out of range; allowed: 1...1000000")
        }
        guard ["automatic", "general"].contains(path) else {
            throw ValidationError("--path = \(path) is not allowed; allowed: automatic, general")
        }
    }

    /// Runs the selected cases on one thread and prints one line per case.
    func run() throws {
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        guard let backend = GEMMBackend(rawValue: gemmBackend) else {
            throw ValidationError("--gemm-backend = \(gemmBackend) is not allowed; allowed: \(GEMMBackend.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let core = BLASCore.current
        report("blas_core", text: [("core", GEMM.openBLASCoreName), ("source", core.source.rawValue), ("detected", core.detected),
                                   ("description", BLASCore.description)])
        let fused = path == "automatic"
        let cases: [(String, Int, Int, Int)] = [("default", 2, 8, 150), ("medium", 2, 64, 256), ("large", 3, 256, 1024)]
        for (name, layers, neurons, batch) in cases where only == nil || only == name {
            let c = Benchmark.configuration(layers: layers, neurons: neurons, batchSize: batch)
            report(name, try Benchmark.training(c, seconds: seconds, epochs: epochs, allowsFusedPath: fused, backend: backend))
        }
        if only == nil || only == "default_stabilised" {
            // The default size with R1 (γ 1, every D update) and the generator average on: the stabilisers' cost.
            var c = Benchmark.configuration(layers: 2, neurons: 8, batchSize: 150)
            c.penalty = .r1
            c.penaltyWeight = 1
            c.penaltyInterval = 1
            c.generatorAverage = true
            report("default_stabilised", try Benchmark.training(c, seconds: seconds, epochs: epochs, allowsFusedPath: fused, backend: backend))
        }
        if only == nil || only == "runs64" {
            let c = Benchmark.configuration(layers: 2, neurons: 8, batchSize: 150)
            report("runs64", try Benchmark.manyRuns(c, runs: 64, seconds: seconds, rounds: epochs, allowsFusedPath: fused, backend: backend))
        }
        if only == nil || only == "views" {
            report("views", [("ms", try Benchmark.views(seconds: seconds))])
        }
        if only == nil || only == "frame" { for (name, values) in try FrameBenchmark.run(seconds: seconds) { report(name, values) } }
        if only == nil || only == "peak_gflops" {
            report("peak_gflops", [("gflops", Benchmark.peakGigaflops())])
        }
        if gemm || only == "gemm" {
            let shapes: [(MatrixTranspose, MatrixTranspose, Int, Int, Int)] = [
                (.none, .none, 150, 8, 2), (.none, .none, 300, 8, 8), (.transposed, .none, 8, 8, 300), (.none, .transposed, 300, 8, 8),
                (.none, .none, 300, 1, 8), (.none, .none, 256, 32, 32), (.none, .none, 512, 64, 64), (.transposed, .none, 64, 64, 512),
                (.none, .transposed, 512, 64, 64), (.none, .none, 1024, 128, 128), (.none, .none, 2048, 256, 256),
            ]
            for (ta, tb, m, n, k) in shapes {
                let (small, blas) = Benchmark.gemm(ta, tb, m: m, n: n, k: k)
                let name = "gemm.\(ta == .none ? "N" : "T")\(tb == .none ? "N" : "T").\(m)x\(n)x\(k)"
                report(name, [("small_us", small), ("blas_us", blas), ("work", Double(m * n * k))])
            }
        }
        if metrics || only == "metrics" {
            for result in MetricsBenchmark.run() { report("metrics." + result.name, [("us", result.microseconds)]) }
        }
    }

    private func report(_ name: String, _ result: Benchmark.Training) {
        report(name, [("epochs_per_s", result.epochsPerSecond), ("ms_per_epoch", result.millisecondsPerEpoch),
                      ("gflops", result.gigaflops), ("cpu_epochs_per_s", result.epochsPerCPUSecond)])
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

    /// A line of text fields (the `blas_core` line).
    private func report(_ name: String, text values: [(String, String)]) {
        if json {
            let fields = values.map { "\"\($0.0)\":\"\(String($0.1.map { $0 == "\"" ? "'" : $0 }))\"" }.joined(separator: ",")
            print("{\"name\":\"\(name)\",\(fields)}")
        } else {
            print(name + String(repeating: " ", count: max(1, 12 - name.count)) + (values.last?.1 ?? ""))
        }
        fflush(stdout)
    }

    private func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(Double(Int((value * 1000).rounded())) / 1000)
    }
}
