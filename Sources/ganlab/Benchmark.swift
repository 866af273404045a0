import GANEngine
#if canImport(Glibc)
import Glibc
#endif

/// The measurements behind `ganlab bench`.
enum Benchmark {
    /// Result of timing one training configuration.
    struct Training {
        /// Epochs per second of wall time.
        var epochsPerSecond: Double
        /// Epochs per second of this thread's CPU time (what the rate would be on an idle machine).
        var epochsPerCPUSecond: Double
        var millisecondsPerEpoch: Double
        var gigaflops: Double
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// This thread's CPU time in seconds (excludes time other processes held the core).
    static func threadCPUTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Trains a (layers × neurons) G and D with batch `batchSize`, k_D 2, k_G 1 for about `seconds`, on the
    /// two-Gaussians data with 2-D uniform noise, SGD.
    static func training(layers: Int, neurons: Int, batchSize: Int, seconds: Double, backend: GEMMBackend = .automatic) throws -> Training {
        var c = GANConfiguration(preset: .gaussians)
        c.generator.hiddenLayers = layers; c.generator.neurons = neurons
        c.discriminator.hiddenLayers = layers; c.discriminator.neurons = neurons
        c.batchSize = batchSize
        c.discriminatorSteps = 2; c.generatorSteps = 1
        c.noiseKind = .uniform  // the reference's code default (2-D uniform)
        c.discriminator.optimizer.learningRate = 0.01; c.generator.optimizer.learningRate = 0.01
        let trainer = try Trainer(configuration: c, distribution: Preset.gaussians.makeDistribution(), backend: backend)
        // Warm up, then time batches of epochs until `seconds` have passed.
        try trainer.train(epochs: 20)
        var epochs = 0
        var chunk = 1
        let start = now(), cpuStart = threadCPUTime()
        var elapsed = 0.0
        while elapsed < seconds {
            try trainer.train(epochs: chunk)
            epochs += chunk
            elapsed = now() - start
            if elapsed < seconds / 20 { chunk *= 2 }
        }
        let cpu = threadCPUTime() - cpuStart
        let flops = Double(flopsPerEpoch(trainer))
        return Training(epochsPerSecond: Double(epochs) / elapsed, epochsPerCPUSecond: Double(epochs) / cpu,
                        millisecondsPerEpoch: 1000 * elapsed / Double(epochs),
                        gigaflops: flops * Double(epochs) / elapsed / 1e9)
    }

    /// Floating-point operations of the dense layers in one epoch (2 per multiply-add): forward
    /// m, parameter gradient m, input gradient m (none for a network's first layer), per row.
    static func flopsPerEpoch(_ trainer: Trainer) -> Int {
        let c = trainer.configuration, b = c.batchSize
        let g = trainer.generator.multiplyAddsPerRow, d = trainer.discriminator.multiplyAddsPerRow
        let gFirst = trainer.generator.denseLayers[0].inputWidth * trainer.generator.denseLayers[0].outputWidth
        let dFirst = trainer.discriminator.denseLayers[0].inputWidth * trainer.discriminator.denseLayers[0].outputWidth
        let dStep = b * g + 2 * b * (d + d + (d - dFirst))               // G forward; D forward + both gradients on 2B rows
        let gStep = b * g + b * (d + d) + b * (g + (g - gFirst))        // G forward; D forward + input gradient; G gradients
        return 2 * (c.discriminatorSteps * dStep + c.generatorSteps * gStep)
    }

    /// Milliseconds for one `ViewComputer.update` at the default view settings (best of many).
    static func views(seconds: Double) throws -> Double {
        let trainer = try Trainer(configuration: GANConfiguration(preset: .gaussians), distribution: Preset.gaussians.makeDistribution())
        try trainer.train(epochs: 100)
        let views = ViewComputer(trainer: trainer)
        var best = Double.infinity
        let start = now()
        repeat {
            let t0 = now()
            views.update(from: trainer)
            best = min(best, now() - t0)
        } while now() - start < seconds
        return best * 1000
    }

    /// GFLOP/s of one large single-threaded sgemm (1536³), best of 3.
    static func peakGigaflops() -> Double {
        let n = 1536
        var random = RandomSource(seed: 1)
        let a = Matrix(rows: n, columns: n), b = Matrix(rows: n, columns: n), c = Matrix(rows: n, columns: n)
        for i in 0..<a.count { a.data[i] = random.nextUniform(in: -1, 1); b.data[i] = random.nextUniform(in: -1, 1) }
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = now()
            GEMM.blasMultiply(.none, .none, m: n, n: n, k: n, a: a.data, lda: n, b: b.data, ldb: n, c: c.data, ldc: n)
            best = min(best, now() - t0)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Microseconds per call of the small kernels and of OpenBLAS for one GEMM shape (best of 5 rounds).
    static func gemm(_ ta: MatrixTranspose, _ tb: MatrixTranspose, m: Int, n: Int, k: Int) -> (small: Double, blas: Double) {
        var random = RandomSource(seed: 2)
        let a = Matrix(rows: max(m, k), columns: max(m, k)), b = Matrix(rows: max(n, k), columns: max(n, k))
        let c = Matrix(rows: m, columns: n)
        for i in 0..<a.count { a.data[i] = random.nextUniform(in: -1, 1) }
        for i in 0..<b.count { b.data[i] = random.nextUniform(in: -1, 1) }
        let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
        let repetitions = max(10, 2_000_000 / max(1, m * n * k))
        func time(_ body: () -> Void) -> Double {
            var best = Double.infinity
            for _ in 0..<5 {
                let t0 = now()
                for _ in 0..<repetitions { body() }
                best = min(best, (now() - t0) / Double(repetitions))
            }
            return best * 1e6
        }
        let small = time { GEMM.smallMultiply(ta, tb, m: m, n: n, k: k, a: a.data, lda: lda, b: b.data, ldb: ldb, c: c.data, ldc: n) }
        let blas = time { GEMM.blasMultiply(ta, tb, m: m, n: n, k: k, a: a.data, lda: lda, b: b.data, ldb: ldb, c: c.data, ldc: n) }
        return (small, blas)
    }
}
