import Foundation
import Testing
import GANEngine
import GANLab
import WebServer

/// The sizes and save times quoted in docs/run-format.md §1.5 (printed; bounds loose enough for a busy machine).
@Suite struct StorageMeasurementTests {
    private func record(_ configuration: GANConfiguration, historyRows: Int) throws -> RunRecord {
        let trainer = try Trainer(configuration: configuration, distribution: Preset.ring.makeDistribution())
        try trainer.train(epochs: 2)
        var r = StorageFixtures.record(points: false)
        r.trainer = trainer.capturedState()
        r.edits = RunEditLog(base: configuration)
        r.metrics = (0..<historyRows).map { MetricsRow(epoch: $0, discriminatorLoss: 1, generatorLoss: 1, generatorGradientNorm: 1,
                                                        klRealFake: 1, klFakeReal: 1, js: 1, jsFloor: 1, modesMissed: 0) }
        return r
    }

    @Test func sizes_andSaveTimes() throws {
        var adam = GANConfiguration()
        adam.generator.optimizer.kind = .adam
        adam.discriminator.optimizer.kind = .adam
        var largest = adam
        for path in [\GANConfiguration.generator, \GANConfiguration.discriminator] {
            largest[keyPath: path].hiddenLayers = 6
            largest[keyPath: path].neurons = 256
        }
        largest.noiseDimension = 8
        let cases: [(String, GANConfiguration, Int)] = [("default (2×8, SGD), no history", GANConfiguration(), 0),
                                                         ("default, 1,000 history rows", GANConfiguration(), 1_000),
                                                         ("2×8 Adam, 1,000 rows", adam, 1_000),
                                                         ("6×256 Adam, noise 8, 10,000 rows", largest, 10_000)]
        let dir = StorageFixtures.temporaryDirectory()
        let archive = try FileRunArchive(directory: dir, options: .init(retryInterval: 0))
        for (name, configuration, rows) in cases {
            let r = try record(configuration, historyRows: rows)
            let bytes = RunRecordCodec.encode(r)
            let clock = ContinuousClock()
            let saves = 10
            let elapsed = try clock.measure { for _ in 0..<saves { try archive.save(r) } }
            let decode = clock.measure { _ = try? RunRecordCodec.decode(bytes) }
            print("run file \(name): \(bytes.count) bytes; save (write+fsync+rename+fsync dir) \(elapsed / saves); decode \(decode)")
            #expect(try RunRecordCodec.decode(bytes) == r)
        }
        #expect(RunRecordCodec.encode(try record(GANConfiguration(), historyRows: 0)).count < 8_192)
        #expect(RunRecordCodec.encode(try record(largest, historyRows: 10_000)).count < 16 << 20)
    }
}
