import Foundation
import Logging
import WebServer

/// The lab: the run registry, the scheduler that trains runs on worker threads, the web server and the
/// routes (docs/architecture.md). `ganlab serve` parses flags and starts one; tests start one on port 0.
///
/// ```swift
/// let lab = try Lab(configuration: LabConfiguration(), server: serverConfiguration)
/// try lab.start()
/// print("listening on \(lab.port)")
/// lab.waitUntilStopped()   // after lab.shutdown(), e.g. from a signal
/// ```
public final class Lab: @unchecked Sendable {
    /// Every lab limit and default.
    public let configuration: LabConfiguration
    /// The web server (its router takes extra routes before `start()`; see `addRoutes`).
    public let server: HTTPServer
    /// The runs.
    public let registry: RunRegistry
    /// Pretrained runs and share links, when the persistence side provides them; set before `start()`.
    public var templates: RunTemplates?
    /// The worker pool that trains the runs.
    let scheduler: Scheduler
    /// What every run shares (limits, clocks, fan-out, saver).
    let environment: RunEnvironment
    private let socketHandler: RunSocketHandler
    private let logger: Logger
    private let stopLock = NSLockBox()
    private var isStopping = false
    private var hasStarted = false
    private var finished = false
    private let finishedCondition = NSCondition()

    /// A lab with `configuration`, serving with `server`, saving to `archive`, timing by `clock` (nothing runs
    /// until `start()`). Throws naming a configuration field outside its range.
    public init(configuration: LabConfiguration = LabConfiguration(), server serverConfiguration: ServerConfiguration = ServerConfiguration(),
                archive: RunArchive = MemoryRunArchive(), clock: LabClock = MonotonicClock(), logger: Logger? = nil)
        throws(LabConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        var logger = logger ?? Logger(label: "ganlab.lab")
        logger.logLevel = serverConfiguration.logLevel
        self.logger = logger
        server = HTTPServer(configuration: serverConfiguration)
        scheduler = Scheduler(workers: configuration.workerCount, timeSlice: configuration.timeSlice,
                              dueTurnBudget: configuration.dueTurnBudget, clock: clock)
        let saver = RunSaver(archive: archive, logger: logger, retryInterval: configuration.autosaveInterval)
        environment = RunEnvironment(configuration: configuration, clock: clock, wallClock: { Date() }, scheduler: scheduler,
                                     fanOut: ServerFanOut(server: server), saver: saver, logger: logger)
        registry = RunRegistry(environment: environment)
        environment.registry = registry
        socketHandler = RunSocketHandler(registry: registry, environment: environment)
        server.addWebSocketRoute(RunSocketHandler.path, maxMessageBytes: configuration.maxMessageBytes, handler: socketHandler)
        // The archive's own list (a file archive keeps and retries failed saves itself), then the saver's (failed saves
        // of an archive that does not list them, deleted runs whose copy is still there).
        server.healthProblems = { archive.problems + saver.problems }
        RunRoutes.install(on: &server.router, lab: self)
        environment.pretrainedPresets = { [weak self] in Set(self?.templates?.pretrainedPresets.map(\.rawValue) ?? []) }
        environment.joinOrigins = { [weak server] in
            server?.localAddress.map(JoinOrigins.init(bound:)) ?? JoinOrigins(origins: [], isLoopbackOnly: false)
        }
        PageRoutes.install(on: &server.router, publicDirectory: serverConfiguration.publicDirectory)
    }

    /// Adds routes (e.g. export, import, CSV, share) before `start()`; they run on the server's workers.
    public func addRoutes(_ body: (inout Router) -> Void) {
        body(&server.router)
    }

    /// The run with `code` if the request carries its token (`Authorization: Bearer TOKEN`); `bad-token` (403)
    /// otherwise, `not-found` (404) for no such run. For routes that change a run.
    public func authorizedRun(_ code: RunCode, request: HTTPRequest) throws(LabProtocolError) -> Run {
        let run = try registry.run(code)
        guard let token = RunRoutes.bearerToken(request), run.accepts(token: token) else { throw .badToken }
        return run
    }

    /// Restores the archived runs, starts the workers, then binds and serves. Throws a one-line error for a
    /// bad or busy address.
    public func start() throws {
        let failures = registry.restoreArchived()
        for (code, reason) in failures { logger.error("run \(code) not restored: \(reason)") }
        scheduler.start()
        do {
            try server.start()
        } catch {
            scheduler.stop(timeout: configuration.shutdownWorkerTimeout)
            throw error
        }
        stopLock.withLock { hasStarted = true }
    }

    /// The bound port (after `start()`).
    public var port: Int { server.port }

    /// Begins a graceful shutdown and returns at once: sockets close with 1001, workers stop after their turn,
    /// every run is saved. `waitUntilStopped()` returns when it is done (within ~2 s whatever the backlog).
    public func shutdown() {
        let first = stopLock.withLock { () -> Bool in
            defer { isStopping = true }
            return !isStopping
        }
        guard first else { return }
        server.shutdown()
        Thread.detachNewThread { [self] in
            let allStopped = scheduler.stop(timeout: configuration.shutdownWorkerTimeout)
            saveAll(skipBusy: !allStopped)
            environment.saver.close()
            environment.saver.archive.close()
            server.waitUntilStopped()
            finishedCondition.lock()
            finished = true
            finishedCondition.broadcast()
            finishedCondition.unlock()
        }
    }

    /// Blocks until `shutdown()` has finished.
    public func waitUntilStopped() {
        finishedCondition.lock()
        while !finished { finishedCondition.wait() }
        finishedCondition.unlock()
    }

    /// `shutdown()`, then `waitUntilStopped()`.
    public func stop() {
        shutdown()
        waitUntilStopped()
    }

    /// Saves every run in memory (workers stopped, so records are consistent); a run whose worker did not stop
    /// in time is skipped (its last autosave stands).
    private func saveAll(skipBusy: Bool) {
        for run in registry.allRuns where !(skipBusy && run.isBusy) && !run.isClosed && run.machine.hasUnsavedChanges {
            environment.saver.saveNow(run.record())
        }
        environment.saver.drain()
    }
}
