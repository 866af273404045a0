/// Why the archive could not do what was asked; each message names the run or the file and the reason.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another ganlab holds the data directory's lock.
    case directoryInUse(String)
    /// A save failed; the record stays in memory and the save is retried.
    case notSaved(code: RunCode, reason: String)
    /// A saved file could not be read back (it was moved to `corrupt/`).
    case unreadable(code: RunCode, reason: String)
    /// Reading or deleting failed for another reason (I/O error).
    case failed(String)

    /// One sentence for the log and for an HTTP error.
    public var description: String {
        switch self {
        case .directoryInUse(let dir):
            return "the data directory \(dir) is in use by another ganlab (its .lock is held); give each server its own --data-dir"
        case .notSaved(let code, let reason):
            return "run \(code) was not saved (\(reason)); it is kept in memory and saving is retried"
        case .unreadable(let code, let reason):
            return "the saved file of run \(code) cannot be read (\(reason)); it was moved to corrupt/"
        case .failed(let reason): return reason
        }
    }
}
