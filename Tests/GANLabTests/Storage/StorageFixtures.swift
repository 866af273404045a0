import Foundation
import GANEngine
import GANLab
import WebServer

/// Records and raw files for the storage tests, built from docs/run-format.md rather than from the encoder.
enum StorageFixtures {
    /// A record that uses every field: drawn points with weights, NaN and −0 values, an edit log, a fork. Its trainer
    /// is a real one's state (so the data directory and import accept it), with −0 and a NaN payload written into
    /// its first tensor and the stream of another seed.
    static func record(code: String = "K7QX3M", points: Bool = true, epoch: Int = 1234) -> RunRecord {
        var configuration = GANConfiguration()
        configuration.seed = 42
        configuration.generator.optimizer.kind = .adam
        configuration.generator.activation = .leakyReLU(slope: 0.3)
        let data: RunData = points
            ? .points(coordinates: [0.25, -0.5, 0.125, 0.75, -1, 1], weights: [1, 2, 0.5], jitter: 0.04)
            : .preset(.ring)
        var trainer = try! Trainer(configuration: configuration, distribution: data.makeDistribution()).capturedState()
        trainer.epoch = epoch
        trainer.random = RandomSource(seed: 9).state
        trainer.scalars["generator.optimizer.steps"] = 17
        trainer.tensors[0].values[1] = -0.0
        trainer.tensors[0].values[3] = Float(bitPattern: 0x7FC0_1234)
        var log = RunEditLog(base: configuration)
        log.record(.configure(["generator.learningRate": .number(Double(Float(0.01)))]), at: 100)
        log.record(.discriminatorStep, at: 200)
        log.record(.generatorStep, at: 201)
        return RunRecord(code: RunCode(code)!, tokenHash: Digest.sha256(Array("secret".utf8)), data: data, defaults: .lab,
                         trainer: trainer, playState: .playing, error: nil, epochsPerSecond: 250, isSlowMotion: false,
                         generation: 3,
                         metrics: [MetricsRow(epoch: 0, discriminatorLoss: .nan, generatorLoss: .nan, generatorGradientNorm: .nan,
                                              klRealFake: 3, klFakeReal: 2, js: 0.9, jsFloor: 0.01, modesMissed: .nan),
                                   MetricsRow(epoch: 1000, discriminatorLoss: 1.3, generatorLoss: 0.7, generatorGradientNorm: 0.1,
                                              klRealFake: 0.2, klFakeReal: 0.1, js: 0.05, jsFloor: 0.01, modesMissed: 0,
                                              klRealFakeFloor: 0.02, klFakeRealFloor: 0.03)],
                         createdAt: Date(timeIntervalSince1970: 1_700_000_000.123), updatedAt: Date(timeIntervalSince1970: 1_700_000_100.5),
                         forkedFrom: RunCode("ABCDEF"), edits: log)
    }

    /// A file laid out by hand from docs/run-format.md §1.1 around `sections` (tag, body), for versions and
    /// sections the encoder never writes.
    static func frame(_ sections: [(String, [UInt8])], major: UInt16 = 1, minor: UInt16 = RunFormat.minor, flags: UInt32 = 0) -> [UInt8] {
        var body: [UInt8] = []
        for (tag, bytes) in sections {
            body += Array(tag.utf8) + le(UInt32(bytes.count)) + bytes
        }
        var file: [UInt8] = [0x89, 0x47, 0x4C, 0x52, 0x0D, 0x0A, 0x1A, 0x0A] + le(major) + le(minor) + le(flags) + le(UInt64(body.count)) + body
        file += Digest.sha256(file)
        return file
    }

    /// The sections of an encoded file (tag, body), read by hand from the table.
    static func sections(of file: [UInt8]) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 24
        let end = file.count - 32
        while i < end {
            let tag = String(decoding: file[i..<i + 4], as: UTF8.self)
            let n = Int(file[i + 4]) | Int(file[i + 5]) << 8 | Int(file[i + 6]) << 16 | Int(file[i + 7]) << 24
            out.append((tag, Array(file[i + 8..<i + 8 + n])))
            i += 8 + n
        }
        return out
    }

    /// Little-endian bytes of an integer.
    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "ganlab-store-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
