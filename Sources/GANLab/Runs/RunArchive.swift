/// Where runs go when they are saved, evicted or the server stops, and come back from (docs/run-format.md).
/// The lab calls it from a background queue (saves), from request handlers (loads on lookup) and at start;
/// implementations must be safe to call from any thread.
public protocol RunArchive: AnyObject, Sendable {
    /// Stores `record`, replacing an older one of the same code, atomically (all or nothing).
    func save(_ record: RunRecord) throws
    /// The archived run, or nil when the code is not archived.
    func load(_ code: RunCode) throws -> RunRecord?
    /// Forgets the run (nothing happens when it is not archived).
    func remove(_ code: RunCode) throws
    /// Every archived run, for the start-up restore.
    func codes() throws -> [RunCode]
    /// What is wrong right now (a full disk, files moved aside), one sentence each, for `GET /healthz`.
    var problems: [String] { get }
    /// Called once at shutdown after the final saves.
    func close()
    /// Whether the archive logs its failed saves and lists them in `problems` itself (the data directory does), so
    /// the lab does not log or list them a second time.
    var reportsItsFailures: Bool { get }
}

extension RunArchive {
    /// No problems by default.
    public var problems: [String] { [] }
    /// Nothing to close by default.
    public func close() {}
    /// The lab logs and lists failed saves by default.
    public var reportsItsFailures: Bool { false }
}

/// An archive in memory: the default until a file-backed one is plugged in, and the tests' archive. Runs
/// survive eviction (as records, without their live buffers) but not a restart.
public final class MemoryRunArchive: RunArchive, @unchecked Sendable {
    private let lock = NSLockBox()
    private var records: [RunCode: RunRecord] = [:]
    /// Saves so far (tests read it to see that autosave happened).
    public private(set) var saveCount = 0

    /// An empty archive.
    public init() {}

    /// Stores the record.
    public func save(_ record: RunRecord) throws {
        lock.withLock { records[record.code] = record; saveCount += 1 }
    }

    /// The stored record, if any.
    public func load(_ code: RunCode) throws -> RunRecord? {
        lock.withLock { records[code] }
    }

    /// Drops the record.
    public func remove(_ code: RunCode) throws {
        lock.withLock { _ = records.removeValue(forKey: code) }
    }

    /// Every stored code, sorted.
    public func codes() throws -> [RunCode] {
        lock.withLock { records.keys.sorted { $0.text < $1.text } }
    }
}
