import Foundation
import Testing
import GANEngine

/// Several runs train at once on several worker threads: nothing one trainer does may change another's
/// arithmetic (no process-wide GEMM switches, OpenBLAS limited to the caller's thread once).
@Suite struct TrainerConcurrencyTests {
    /// A mix of small-kernel, OpenBLAS-sized, pinned-backend and Adam + batch-norm runs.
    static func makeTrainers() throws -> [Trainer] {
        var configurations: [(GANConfiguration, Preset, GEMMBackend)] = []
        configurations.append((GANConfiguration(preset: .gaussians, seed: 1), .gaussians, .automatic))
        configurations.append((GANConfiguration(preset: .ring, seed: 2), .ring, .small))
        var wide = GANConfiguration(preset: .ringOfGaussians, seed: 3)
        wide.batchSize = 256  // 256×64×64 multiply-adds: past the small-kernel limit, so OpenBLAS
        configurations.append((wide, .ringOfGaussians, .automatic))
        configurations.append((GANConfiguration(preset: .disjoint, seed: 4), .disjoint, .blas))
        var adam = GANConfiguration(preset: .moons, seed: 5)
        adam.generator.batchNorm = true
        configurations.append((adam, .moons, .automatic))
        return try configurations.map { try Trainer(configuration: $0.0, distribution: $0.1.makeDistribution(), backend: $0.2) }
    }

    static let epochs = 60

    @Test func concurrentTraining_givesTheSameWeightsAsOneAtATime() throws {
        let sequential = try Self.makeTrainers()
        for trainer in sequential { try trainer.train(epochs: Self.epochs) }

        let concurrent = try Self.makeTrainers()
        let failures = FailureLog()
        let group = DispatchGroup()
        for trainer in concurrent {
            group.enter()
            let thread = Thread {
                do { try trainer.train(epochs: Self.epochs) } catch { failures.append("\(error)") }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        #expect(failures.messages.isEmpty, "\(failures.messages)")
        for (a, b) in zip(sequential, concurrent) {
            #expect(a.epoch == Self.epochs && b.epoch == Self.epochs)
            #expect(a.capturedState() == b.capturedState(), "\(a.configuration.batchSize)-row run with \(a.backend)")
        }
    }

    @Test func pinnedBackends_agreeClosely_butAreEachDeterministic() throws {
        // The two kernel families round differently, so their weights differ slightly; each replays exactly.
        func train(_ backend: GEMMBackend) throws -> [Float] {
            let t = try Trainer(configuration: GANConfiguration(preset: .gaussians, seed: 9),
                                distribution: Preset.gaussians.makeDistribution(), backend: backend)
            try t.train(epochs: 20)
            return t.generator.flattenedParameters
        }
        let blas = try train(.blas), small = try train(.small)
        #expect(try train(.blas) == blas)
        #expect(zip(blas, small).allSatisfy { abs($0 - $1) < 1e-3 })
    }
}

/// Error messages collected from worker threads.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    /// Adds one message.
    func append(_ message: String) { lock.lock(); stored.append(message); lock.unlock() }
    /// Every message so far.
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
