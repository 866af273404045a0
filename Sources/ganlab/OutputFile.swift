#if canImport(Glibc)
import Glibc
#endif

/// A text file the `train` command writes (the metrics CSV), where every failed write fails the command:
/// a full disk or `/dev/full` must not leave a silently truncated file behind an exit code 0.
final class OutputFile {
    /// The path as given, for messages.
    let path: String
    private var file: UnsafeMutablePointer<FILE>?

    /// Opens (creates or truncates) `path` for writing.
    init(path: String) throws(OutputFileError) {
        self.path = path
        guard let file = fopen(path, "w") else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        self.file = file
    }

    /// Writes `text`; throws on the first failure (buffered writes are checked again by `close`).
    func write(_ text: String) throws(OutputFileError) {
        guard let file else { return }
        if fputs(text, file) < 0 || ferror(file) != 0 { throw failure() }
    }

    /// Flushes and closes the file; a write the buffer had held back fails here.
    func close() throws(OutputFileError) {
        guard let file else { return }
        self.file = nil
        let flushed = fflush(file) == 0 && ferror(file) == 0
        let reason = flushed ? nil : String(cString: strerror(errno))
        if fclose(file) != 0 || !flushed {
            throw OutputFileError(path: path, reason: reason ?? String(cString: strerror(errno)))
        }
    }

    private func failure() -> OutputFileError { OutputFileError(path: path, reason: String(cString: strerror(errno))) }

    deinit { if let file { fclose(file) } }
}

/// A write to an output file failed.
struct OutputFileError: Error, CustomStringConvertible {
    /// The file.
    var path: String
    /// The system's reason, e.g. "No space left on device".
    var reason: String
    /// "cannot write /dev/full: No space left on device".
    var description: String { "cannot write \(path): \(reason)" }
}
