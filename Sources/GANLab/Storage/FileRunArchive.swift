import Foundation
import Logging

/// Saved runs in a data directory, one `.ganrun` file per run, each replaced atomically (docs/run-format.md §2).
///
/// Why it keeps failed saves in memory: a full disk or a read-only directory must not lose a run, even if
/// the lab evicts it; a record whose save failed is still served by `load`, listed by `codes`, reported by
/// `problems` (for `GET /healthz`) and retried every `retryInterval` seconds until a save succeeds. The same
/// thread takes the directory's lock when it could not at start (`ensureLocked`) and applies the retention limits
/// to runs that have left memory since (`enforceLimits`).
/// Thread-safe: saves of different runs proceed in parallel; saves of one run are serialised in call order.
public final class FileRunArchive: @unchecked Sendable {
    /// Limits and timing (defaults: keep everything, retry every 5 s).
    public struct Options: Sendable {
        /// At most this many saved runs; beyond, the least recently updated runs not in use are deleted. nil: no limit.
        public var maxSavedRuns: Int?
        /// At most this many bytes of saved runs; same rule. nil: no limit.
        public var maxSavedBytes: Int?
        /// Seconds between retries of failed saves (0: only when `retryFailedSaves()` is called).
        public var retryInterval: Double = 5

        /// The defaults: nothing is ever deleted by the archive on its own.
        public init(maxSavedRuns: Int? = nil, maxSavedBytes: Int? = nil, retryInterval: Double = 5) {
            self.maxSavedRuns = maxSavedRuns
            self.maxSavedBytes = maxSavedBytes
            self.retryInterval = retryInterval
        }
    }

    /// A file that could not be read, and where it went.
    public struct QuarantinedFile: Sendable, Equatable {
        /// Its name in the data directory.
        public var name: String
        /// Why it was refused (a `RunFormatError` sentence or a read error).
        public var reason: String
        /// Where it is now (nil when even the move failed).
        public var movedTo: String?
    }

    /// What the archive knows about one saved file.
    struct Entry {
        var bytes: Int
        var updatedAt: Date
    }

    /// The data directory.
    public let directory: String
    /// Limits and timing.
    public let options: Options
    /// Runs the lab holds in memory: retention never deletes these (set once before use; default none).
    public var isInUse: @Sendable (RunCode) -> Bool = { _ in false }

    let fileSystem: any FileSystem
    let writer: AtomicFileWriter
    let logger: Logger
    let state = NSLock()
    var index: [RunCode: Entry] = [:]
    var pending: [RunCode: RunRecord] = [:]
    var failures: [RunCode: String] = [:]
    var directoryProblem: String?
    var quarantinedFiles: [QuarantinedFile] = []
    private var codeLocks: [RunCode: NSLock] = [:]
    var lockDescriptor: Int32?
    /// Set when another ganlab holds the lock this server could not take at start: nothing is written meanwhile.
    var lockConflict: String?
    /// The retention warning when every saved run is in memory, at most once a minute.
    var overLimitWarning = RateLimitedWarning(interval: 60)
    private var retryThread: Thread?
    private let retrySignal = NSCondition()
    var isClosed = false

    /// Opens `directory` (creating it), takes its lock, recovers interrupted saves, moves unreadable files to
    /// `corrupt/` and lists the rest. Throws only when another server holds the lock: a directory that cannot
    /// be created or written is reported in `problems` and retried, and runs are kept in memory meanwhile.
    public init(directory: String, options: Options = Options(), fileSystem: any FileSystem = SystemFileSystem(),
                logger: Logger = Logger(label: "ganlab.storage")) throws(StorageError) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.options = options
        self.fileSystem = fileSystem
        self.writer = AtomicFileWriter(fileSystem: fileSystem)
        self.logger = logger
        try openDirectory()
        if options.retryInterval > 0 { startRetrying() }
    }

    deinit { close() }

    /// Stops retrying and releases the directory's lock (pending records that still fail are logged).
    public func close() {
        state.lock()
        let wasClosed = isClosed
        isClosed = true
        let descriptor = lockDescriptor
        lockDescriptor = nil
        let unsaved = pending.keys.map(\.text).sorted()
        state.unlock()
        guard !wasClosed else { return }
        retrySignal.lock()
        retrySignal.signal()
        retrySignal.unlock()
        if !unsaved.isEmpty {
            logger.error("\(unsaved.count) runs could not be saved to \(directory) and are lost at exit: \(unsaved.joined(separator: ", "))")
        }
        if let descriptor { fileSystem.unlock(descriptor) }
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// The lock serialising writes of one run.
    func lock(for code: RunCode) -> NSLock {
        state.lock()
        defer { state.unlock() }
        if let lock = codeLocks[code] { return lock }
        let lock = NSLock()
        codeLocks[code] = lock
        return lock
    }

    private func startRetrying() {
        let thread = Thread { [weak self] in
            while let interval = self?.options.retryInterval {
                guard let self else { return }
                retrySignal.lock()
                _ = retrySignal.wait(until: Date(timeIntervalSinceNow: interval))
                retrySignal.unlock()
                state.lock()
                let closed = isClosed
                state.unlock()
                if closed { return }
                retryFailedSaves()
                enforceLimits()
            }
        }
        thread.name = "ganlab.storage.retry"
        retryThread = thread
        thread.start()
    }
}
