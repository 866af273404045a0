import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileRunArchive {
    /// True while this server holds the directory's `.lock`: only then does it move or delete files it did not
    /// write itself (unreadable files, leftovers of interrupted saves).
    var holdsLock: Bool {
        state.lock()
        defer { state.unlock() }
        return lockDescriptor != nil
    }

    /// Takes the directory's `.lock` if this server does not hold it yet, before anything is written: at start a
    /// read-only directory cannot be locked (the server reads it anyway), and once it takes writes a second server
    /// could otherwise start on it too (docs/run-format.md §2). Nil when writing may go on; the problem when another
    /// ganlab holds the lock by then: this server then writes nothing (saves and removals are kept and retried, and
    /// the lock is tried again at each retry), says so in the log once and in `problems`.
    func ensureLocked() -> String? {
        var line: (isError: Bool, text: String)?
        state.lock()
        defer {
            state.unlock()
            if let line { line.isError ? logger.error("\(line.text)") : logger.notice("\(line.text)") }
        }
        guard lockDescriptor == nil, !isClosed else { return lockConflict }
        do throws(FileSystemError) {
            lockDescriptor = try fileSystem.lock(path(DataDirectory.lockName))
        } catch where error.code == EWOULDBLOCK || error.code == EAGAIN {
            if lockConflict == nil {
                lockConflict = "data directory \(directory) is in use by another ganlab (it took the .lock this server could not "
                    + "take at start): this server stopped writing to it; its runs are kept in memory and are lost when it stops. "
                    + "Stop one of the two servers, or give each its own --data-dir"
                line = (true, lockConflict!)
            }
            return lockConflict
        } catch {
            // Still cannot be locked (read-only, say): a write fails on its own, as at start.
            return nil
        }
        line = (false, lockConflict == nil
            ? "data directory \(directory) is locked by this server now (it could not be at start)"
            : "data directory \(directory) is no longer in use by another ganlab: this server locked it and saves again")
        lockConflict = nil
        return nil
    }
}
