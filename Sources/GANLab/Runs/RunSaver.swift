import Dispatch
import Foundation
import Logging

/// Writes records to the archive on a queue of its own, so a slow disk (fsync) never holds up a worker that
/// trains runs. A failed save is reported to `GET /healthz` (`problems`) and retried at the run's next autosave;
/// the run stays in memory meanwhile. The log gets a run's first failure (or a new reason) and its recovery, not
/// every retry: a read-only disk under a class of runs would otherwise log an error per run every few seconds.
/// An archive that logs and lists its own failures (`RunArchive.reportsItsFailures`, the data directory) is not
/// logged or listed again: one failed save, one line (docs/run-format.md §2).
///
/// Deleted runs (`markDeleted`) are *tombstones* until their saved copy is gone: the registry answers 404 for
/// them at once instead of loading the copy back, saves of them are dropped, and a removal that fails (a
/// read-only directory) is retried every `retryInterval` seconds and reported in `problems` meanwhile.
final class RunSaver: @unchecked Sendable {
    /// The archive saves go to.
    let archive: RunArchive
    /// Seconds between tries of a removal that failed.
    let retryInterval: Double
    private let queue = DispatchQueue(label: "ganlab.archive")
    private let lock = NSLockBox()
    private var failures: [RunCode: String] = [:]
    private var tombstones: [RunCode: Tombstone] = [:]
    private var isClosed = false
    private let logger: Logger

    /// A deleted run whose saved copy may still be in the archive.
    private struct Tombstone {
        /// Why the last removal failed (nil: not tried yet, or it has not failed).
        var failure: String?
    }

    /// A saver writing to `archive`, retrying failed removals every `retryInterval` seconds.
    init(archive: RunArchive, logger: Logger, retryInterval: Double = 5) {
        self.archive = archive
        self.logger = logger
        self.retryInterval = retryInterval
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

    /// Waits for queued saves and removals (shutdown).
    func drain() { queue.sync {} }

    /// What is wrong, for healthz: runs not saved (when the archive does not report them itself), then deleted runs
    /// whose saved copy is still there.
    var problems: [String] {
        lock.withLock {
            let saves = archive.reportsItsFailures ? [] : failures.sorted { $0.key.text < $1.key.text }.map { "cannot save run \($0.key): \($0.value)" }
            return saves + tombstones.compactMap { code, tombstone in
                tombstone.failure.map { "run \(code) was deleted but its saved copy cannot be removed yet: \($0) (retrying; it answers 404 meanwhile)" }
            }.sorted()
        }
    }

    /// The run's owner deleted it: from now on it is not found and its saves are dropped, until `removeDeleted`
    /// has removed its saved copy. Called before the run leaves the registry's table, under the registry's lock.
    func markDeleted(_ code: RunCode) {
        lock.withLock {
            tombstones[code] = Tombstone()
            failures[code] = nil
        }
    }

    /// Whether `code` was deleted and its saved copy may still be in the archive (the registry must not load it).
    func isDeleted(_ code: RunCode) -> Bool { lock.withLock { tombstones[code] != nil } }

    /// Removes a deleted run's saved copy, after every save already queued. Called once the run can save no more
    /// (it handled its deletion, or it had already left memory), so no save of it can follow the removal.
    func removeDeleted(_ code: RunCode) {
        queue.async { [self] in remove(code) }
    }

    /// Stops retrying removals (shutdown, after `drain`): a last try of each, and the runs whose copy is still
    /// there are logged, since they come back when the server starts again (docs/run-format.md §2).
    func close() {
        let waiting: [RunCode] = queue.sync {
            for code in lock.withLock({ Array(tombstones.keys) }) { remove(code) }
            return lock.withLock {
                isClosed = true
                return tombstones.keys.sorted { $0.text < $1.text }
            }
        }
        if !waiting.isEmpty {
            let codes = waiting.map(\.text).joined(separator: ", ")
            logger.error("\(waiting.count) deleted runs could not be removed from the data directory and come back at the next start: \(codes)")
        }
    }

    /// One try to remove a deleted run's copy (on the queue); a failure is logged once per reason and tried again.
    private func remove(_ code: RunCode) {
        guard lock.withLock({ tombstones[code] != nil && !isClosed }) else { return }
        do {
            try archive.remove(code)
            let hadFailed = lock.withLock { tombstones.removeValue(forKey: code)?.failure != nil }
            if hadFailed { logger.notice("run \(code): its saved copy is removed now (it was deleted earlier)") }
        } catch {
            let reason = "\(error)"
            let isNew = lock.withLock { () -> Bool in
                defer { tombstones[code]?.failure = reason }
                return tombstones[code]?.failure != reason
            }
            if isNew {
                let line = "run \(code) was deleted but its saved copy cannot be removed: \(reason); it answers 404, and removing is "
                    + "retried every \(retryInterval) s (if the server stops first, the run comes back at the next start)"
                logger.error("\(line)")
            }
            queue.asyncAfter(deadline: .now() + retryInterval) { [weak self] in self?.remove(code) }
        }
    }

    private func store(_ record: RunRecord) -> Bool {
        if isDeleted(record.code) { return true }
        do {
            try archive.save(record)
            if lock.withLock({ failures.removeValue(forKey: record.code) }) != nil, !archive.reportsItsFailures {
                logger.notice("run \(record.code) saved again")
            }
            return true
        } catch {
            let reason = "\(error)"
            let isNew = lock.withLock { failures.updateValue(reason, forKey: record.code) != reason }
            if isNew && !archive.reportsItsFailures { logger.error("cannot save run \(record.code): \(reason)") }
            return false
        }
    }
}
