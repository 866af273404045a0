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
    /// `hello` without the code.
    let helloTemplate: JSONObject
    /// Checks commands.
    let decoder: CommandDecoder
    /// The lab's logger.
    let logger: Logger
    /// Set once by the registry that owns the runs.
    weak var registry: RunRegistry?

    init(configuration: LabConfiguration, clock: LabClock, wallClock: @escaping @Sendable () -> Date, scheduler: Scheduler,
         fanOut: FrameFanOut, saver: RunSaver, logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.wallClock = wallClock
        self.scheduler = scheduler
        self.fanOut = fanOut
        self.saver = saver
        self.logger = logger
        helloTemplate = ServerMessages.helloTemplate(configuration: configuration)
        decoder = CommandDecoder(configuration: configuration)
    }
}
