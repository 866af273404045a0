import Foundation
import GANEngine
import GANLab
import WebServer

/// `ganlab bench --only frame`: one full frame computed and encoded (docs/protocol.md §3, target ≤ 1 ms), the
/// time to deflate it once for the viewers that agreed to compression, and the bytes per layer (§3.5). The full frame is the issue's: 64² field, 500 fakes with arrows, 16² vector
/// field, 21² manifold lattice (20² cells), every metric on 4,000 samples, on the default preset (gaussians: 2×8
/// networks, two modes), as `bench views` times the views alone. `frame.lab` and `frame.lab64` time the same frame
/// with the lab profile's networks, what `ganlab serve` runs by default: gaussians (3 × 32) and ring (3 × 64).
///
/// With `GANLAB_FRAME_DUMP=DIR` the frames are also written there (`default.bin`, `full.bin`, `layer-NAME.bin`), so
/// their permessage-deflate size can be measured with any zlib (docs/protocol.md §3.5 gives the command).
enum FrameBenchmark {
    /// The layers of the "full frame".
    static let fullLayers: FrameLayers = [.fakes, .arrows, .field, .grid, .manifold, .modes]

    /// One profile's full frame, timed.
    struct Timing {
        var views: ViewComputer, trainer: Trainer, header: FrameHeader, bytes: [UInt8]
        var totals: [Double], viewTimes: [Double], encodeTimes: [Double]

        /// Best and median total, best views and encode, in milliseconds.
        var summary: [(String, Double)] {
            [("ms", 1000 * totals[0]), ("median_ms", 1000 * totals[totals.count / 2]),
             ("views_ms", 1000 * viewTimes.min()!), ("encode_ms", 1000 * encodeTimes.min()!)]
        }
    }

    /// Times `views.update` + `FrameEncoder.encode` of the full frame of `preset` with `profile`'s networks and
    /// the default views for about `seconds`.
    static func time(_ preset: Preset, _ profile: SettingsProfile, seconds: Double) throws -> Timing {
        var configuration = GANConfiguration(preset: preset, profile: profile, seed: 1)
        configuration.views = GANConfiguration.Views()  // 500 fakes, 64², 16², 20² cells, 4,000 metric samples
        let trainer = try Trainer(configuration: configuration, distribution: preset.makeDistribution())
        try trainer.train(epochs: 200)
        let views = ViewComputer(trainer: trainer)
        var random = RandomSource(seed: 2)
        views.realPoints = trainer.distribution.samples(count: 500, using: &random)  // as a run shows them
        var header = FrameHeader(epoch: trainer.epoch, time: Date().timeIntervalSince1970 * 1000, sequence: 0, generation: 1,
                                 viewers: 30, epochsPerSecond: 100, state: .playing, subStep: 0)
        var viewTimes: [Double] = [], encodeTimes: [Double] = []
        var bytes: [UInt8] = []
        let start = Benchmark.now()
        repeat {
            let t0 = Benchmark.now()
            let snapshot = views.update(from: trainer)
            let t1 = Benchmark.now()
            header.sequence &+= 1
            bytes = FrameEncoder.encode(header: header, snapshot: snapshot, layers: fullLayers)
            let t2 = Benchmark.now()
            viewTimes.append(t1 - t0)
            encodeTimes.append(t2 - t1)
        } while Benchmark.now() - start < seconds || viewTimes.count < 20
        let totals = zip(viewTimes, encodeTimes).map { $0 + $1 }.sorted()
        return Timing(views: views, trainer: trainer, header: header, bytes: bytes, totals: totals, viewTimes: viewTimes,
                      encodeTimes: encodeTimes)
    }

    /// Times the reference frame (with bytes per layer and deflate) and the lab profile's frames; the report lines.
    static func run(seconds: Double) throws -> [(String, [(String, Double)])] {
        let reference = try time(.gaussians, .reference, seconds: seconds)
        let (views, trainer, header, bytes) = (reference.views, reference.trainer, reference.header, reference.bytes)
        let snapshot = views.update(from: trainer)
        let defaultFrame = FrameEncoder.encode(header: header, snapshot: snapshot, layers: .defaultLayers)
        // The lab deflates each frame once for every viewer that agreed to permessage-deflate.
        var deflateTimes: [Double] = [], deflated: [UInt8] = []
        for _ in 0..<20 {
            let t0 = Benchmark.now()
            deflated = WebSocketDeflate.compress(bytes)
            deflateTimes.append(Benchmark.now() - t0)
        }
        var lines: [(String, [(String, Double)])] = [
            ("frame", reference.summary + [("deflate_ms", 1000 * deflateTimes.min()!), ("bytes_full", Double(bytes.count)),
                                           ("bytes_full_deflated", Double(deflated.count)), ("bytes_default", Double(defaultFrame.count))]),
            ("frame.lab", try time(.gaussians, .lab, seconds: seconds).summary),
            ("frame.lab64", try time(.ring, .lab, seconds: seconds).summary),
        ]
        let empty = FrameEncoder.encode(header: header, snapshot: snapshot, layers: []).count
        var dumps: [(String, [UInt8])] = [("default", defaultFrame), ("full", bytes)]
        for (name, layer) in FrameLayers.named {
            let frame = FrameEncoder.encode(header: header, snapshot: snapshot, layers: layer)
            lines.append(("frame.\(name)", [("bytes", Double(frame.count - empty))]))
            dumps.append(("layer-\(name)", frame))
        }
        lines.append(("frame.header+metrics", [("bytes", Double(empty))]))
        if let directory = ProcessInfo.processInfo.environment["GANLAB_FRAME_DUMP"] {
            for (name, frame) in dumps {
                _ = FileManager.default.createFile(atPath: "\(directory)/\(name).bin", contents: Data(frame))
            }
        }
        return lines
    }
}
