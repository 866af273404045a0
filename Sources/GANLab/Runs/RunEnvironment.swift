import Foundation
import Logging

/// What every run of a lab shares: the limits, the clocks, the scheduler, where frames and saves go, the
/// registry (for forks and eviction) and the parts of `hello` that are the same for all.
final class RunEnvironment: @unchecked Sendable {
    /// Limits and defaults.
    let configuration: LabConfiguration
    /// Monotonic time for everything that schedules.
    let clock: LabClock
    /// Wall time for timestamps (frame headers, `createdAt`).
    let wallClock: @Sendable () -> Date
    /// The worker pool.
    let scheduler: Scheduler
    /// Sends one frame to many connections.
    let fanOut: FrameFanOut
    /// Writes records to the archive.
    let saver: RunSaver
    /// The presets with a pretrained run (from `Lab.templates`, read when first needed: set before `start()`).
    var pretrainedPresets: @Sendable () -> Set<String> = { [] }
    /// Where other machines reach the server (from `Lab`: the bound address, read when a `hello` is built).
    var joinOrigins: @Sendable () -> JoinOrigins = { JoinOrigins(origins: [], isLoopbackOnly: false) }
    private let helloLock = NSLockBox()
    private var cachedHello: JSONObject?
    private var cachedOrigins: (origins: JoinOrigins, at: Double)?
    /// Seconds a list of interface addresses is reused (a laptop may join a network after the server started).
    private static let originsLifetime = 10.0

    /// `hello` without the code: the same for every run, built once; the join origins refreshed every 10 s.
    var helloTemplate: JSONObject {
        helloLock.withLock {
            let now = clock.now()
            if cachedOrigins == nil || now - cachedOrigins!.at > Self.originsLifetime {
                cachedOrigins = (joinOrigins(), now)
                cachedHello = nil
            }
            if let cachedHello { return cachedHello }
            let template = ServerMessages.helloTemplate(configuration: configuration, pretrained: pretrainedPresets(),
                                                        joinOrigins: cachedOrigins!.origins)
            cachedHello = template
            return template
        }
    }
    /// Checks commands.
    let decoder: CommandDecoder
    /// The lab's logger.
    let logger: Logger
    /// Set once by the registry that owns the runs.
    weak var registry: RunRegistry?

    /// The shared parts of one lab.
    init(configuration: LabConfiguration, clock: LabClock, wallClock: @escaping @Sendable () -> Date, scheduler: Scheduler,
         fanOut: FrameFanOut, saver: RunSaver, logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.wallClock = wallClock
        self.scheduler = scheduler
        self.fanOut = fanOut
        self.saver = saver
        self.logger = logger
        decoder = CommandDecoder(configuration: configuration)
    }
}
