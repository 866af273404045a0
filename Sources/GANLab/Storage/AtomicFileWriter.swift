/// Replaces a file so that at every instant the old or the new content is on disk, never a mixture:
/// write a temporary file beside it, fsync it, close it, rename it over the old one, fsync the directory
/// (rename(2) is atomic; fsync(2) on the directory makes the rename itself durable).
public struct AtomicFileWriter: Sendable {
    /// The steps in order; a failure at any of them leaves the previous file intact (the last one: the new file).
    public enum Step: String, Sendable, CaseIterable {
        case create, write, sync, close, rename, syncDirectory
    }

    /// Where the operations go.
    public let fileSystem: any FileSystem

    /// A writer on `fileSystem`.
    public init(fileSystem: any FileSystem) {
        self.fileSystem = fileSystem
    }

    /// Writes `bytes` to `path` through `temporaryPath` in `directory`; on failure removes the temporary file
    /// (best effort) and throws the failed step's error.
    public func write(_ bytes: [UInt8], to path: String, temporaryPath: String, directory: String) throws(FileSystemError) {
        let fd = try fileSystem.createFile(temporaryPath)
        do {
            try fileSystem.write(fd, bytes, path: temporaryPath)
            try fileSystem.sync(fd, path: temporaryPath)
        } catch {
            try? fileSystem.close(fd, path: temporaryPath)
            try? fileSystem.remove(temporaryPath)
            throw error
        }
        do {
            try fileSystem.close(fd, path: temporaryPath)
            try fileSystem.rename(temporaryPath, to: path)
        } catch {
            try? fileSystem.remove(temporaryPath)
            throw error
        }
        try fileSystem.syncDirectory(directory)
    }
}
