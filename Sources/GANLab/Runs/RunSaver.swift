import Dispatch
import Foundation
import Logging

/// Writes records to the archive on a queue of its own, so a slow disk (fsync) never holds up a worker that
/// trains runs. A failed save is reported to `GET /healthz` (`problems`) and retried at the run's next autosave;
/// the run stays in memory meanwhile. The log gets a run's first failure (or a new reason) and its recovery, not
/// every retry: a read-only disk under a class of runs would otherwise log an error per run every few seconds.
final class RunSaver: @unchecked Sendable {
    /// The archive saves go to.
    let archive: RunArchive
    private let queue = DispatchQueue(label: "ganlab.archive")
    private let lock = NSLockBox()
    private var failures: [RunCode: String] = [:]
    private var deleted: Set<RunCode> = []
    private let logger: Logger

    /// A saver writing to `archive`.
    init(archive: RunArchive, logger: Logger) {
        self.archive = archive
        self.logger = logger
    }

    /// Saves in the background; `failed` runs (on the saver's queue) when the archive refused.
    func save(_ record: RunRecord, failed: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            if !store(record) { failed() }
        }
    }

    /// Saves now on the caller's thread (eviction, shutdown); true on success.
    @discardableResult
    func saveNow(_ record: RunRecord) -> Bool {
        queue.sync { store(record) }
    }

    /// Waits for queued saves (shutdown).
    func drain() { queue.sync {} }

    /// What is wrong, for healthz.
    var problems: [String] {
        lock.withLock { failures.sorted { $0.key.text < $1.key.text }.map { "cannot save run \($0.key): \($0.value)" } }
    }

    /// Removes a deleted run from the archive, after any save already queued; later saves of it are dropped.
    func delete(_ code: RunCode) {
        lock.withLock {
            deleted.insert(code)
            failures[code] = nil
        }
        queue.async { [self] in
            do { try archive.remove(code) } catch { logger.error("cannot remove run \(code) from the archive: \(error)") }
        }
    }

    private func store(_ record: RunRecord) -> Bool {
        if lock.withLock({ deleted.contains(record.code) }) { return true }
        do {
            try archive.save(record)
            if lock.withLock({ failures.removeValue(forKey: record.code) }) != nil { logger.notice("run \(record.code) saved again") }
            return true
        } catch {
            let reason = "\(error)"
            let isNew = lock.withLock { failures.updateValue(reason, forKey: record.code) != reason }
            if isNew { logger.error("cannot save run \(record.code): \(reason)") }
            return false
        }
    }
}
