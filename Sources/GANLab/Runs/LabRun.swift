import Foundation
import GANEngine

/// One training run served to every viewer: it trains on a thread of its own at a watchable pace
/// and publishes the newest view, encoded once, for all of them.
///
/// Why a thread of its own: a `Trainer` is not thread-safe and training must never run on the
/// server's I/O thread. Commands from request handlers queue up and are applied between epochs.
public final class LabRun: @unchecked Sendable {
    /// What a viewer can ask of the run.
    public enum Command: String, Sendable, CaseIterable {
        case play, pause, step, reset
    }

    /// The settings the run started from.
    public let settings: LabRunSettings

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var pending: [Command] = []
    private var published: [UInt8] = []
    private var isStopping = false
    private var thread: Thread?

    // Owned by the run's thread once started:
    private var trainer: Trainer
    private var views: ViewComputer
    private var pace: RunPace
    private var failure: String?
    private let realSamples: [Float]

    /// Builds the run (networks, fixed view inputs) without starting it.
    public init(settings: LabRunSettings) throws {
        try settings.validate()
        self.settings = settings
        trainer = try Trainer(configuration: settings.configuration, distribution: settings.preset.makeDistribution())
        views = ViewComputer(trainer: trainer)
        pace = RunPace(epochsPerSecond: settings.epochsPerSecond)
        realSamples = Self.drawRealSamples(settings)
        publish()
    }

    /// Starts training on the run's own thread (which keeps the run alive until `stop()`).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil else { return }
        let worker = Thread { self.work() }
        worker.name = "ganlab-run"
        thread = worker
        if settings.startsPlaying { pace.play(now: Self.now()) }
        worker.start()
    }

    /// Stops the run's thread and waits for it to finish its current step.
    public func stop() {
        condition.lock()
        isStopping = true
        condition.broadcast()
        while thread != nil { condition.wait() }
        condition.unlock()
    }

    /// Queues a command; it takes effect before the next epoch.
    public func send(_ command: Command) {
        condition.lock()
        pending.append(command)
        condition.broadcast()
        condition.unlock()
    }

    /// The newest view as JSON (docs/api.md), the same bytes for every viewer.
    public var latestJSON: [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return published
    }

    private func work() {
        var nextFrame = Self.now()
        while true {
            condition.lock()
            while !isStopping && pending.isEmpty && !pace.isPlaying {
                condition.wait()
            }
            if isStopping {
                thread = nil
                condition.broadcast()
                condition.unlock()
                return
            }
            let commands = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()

            var changed = !commands.isEmpty
            for command in commands { apply(command) }
            let now = Self.now()
            // At most one frame's worth of epochs per pass, so commands and frames stay prompt.
            let due = pace.dueEpochs(now: now, limit: max(1, Int((pace.epochsPerSecond / settings.framesPerSecond).rounded(.up))))
            if due > 0 {
                train(epochs: due)
                changed = true
            }
            if (changed && now >= nextFrame) || !commands.isEmpty {
                publish()
                nextFrame = now + 1 / settings.framesPerSecond
            }
            // Sleep until the next epoch is due (at most one frame), or until a command arrives.
            let wait = pace.isPlaying ? min(1 / pace.epochsPerSecond, 1 / settings.framesPerSecond) : 0.05
            condition.lock()
            if pending.isEmpty && !isStopping { _ = condition.wait(until: Date(timeIntervalSinceNow: wait)) }
            condition.unlock()
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .play:
            if failure == nil { pace.play(now: Self.now()) }
        case .pause:
            pace.pause()
        case .step:
            pace.pause()
            if failure == nil { train(epochs: 1) }
        case .reset:
            // Same seed, same configuration: the run replays from epoch 0 exactly.
            do {
                trainer = try Trainer(configuration: settings.configuration, distribution: settings.preset.makeDistribution())
                views = ViewComputer(trainer: trainer)
                failure = nil
            } catch {
                failure = "reset failed: \(error)"
            }
        }
    }

    private func train(epochs: Int) {
        do {
            try trainer.train(epochs: epochs)
            pace.didTrain(epochs)
        } catch {
            failure = "\(error); press Reset to start again"
            pace.pause()
        }
    }

    private func publish() {
        let snapshot = views.update(from: trainer)
        let json = RunViewJSON.encode(
            RunViewJSON.Header(preset: settings.preset.rawValue, seed: settings.seed, isRunning: pace.isPlaying,
                               epochsPerSecond: pace.epochsPerSecond, error: failure),
            snapshot: snapshot, real: realSamples)
        condition.lock()
        published = json
        condition.unlock()
    }

    private static func drawRealSamples(_ settings: LabRunSettings) -> [Float] {
        // A stream of its own, so showing samples never changes training.
        var random = RandomSource(seed: settings.seed ^ 0x5245_414C_5348_4F57)  // "REALSHOW"
        var buffer = [Float](repeating: 0, count: 2 * LabRunSettings.shownRealSampleCount)
        let distribution = settings.preset.makeDistribution()
        buffer.withUnsafeMutableBufferPointer {
            distribution.sample(count: LabRunSettings.shownRealSampleCount, into: $0.baseAddress!, using: &random)
        }
        return buffer
    }

    private static func now() -> Double { Date().timeIntervalSinceReferenceDate }
}
