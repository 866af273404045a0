/// The file operations the archive needs, as a seam: `SystemFileSystem` performs them; tests wrap it to make
/// one step fail (a full disk, a read-only directory, a crash between two steps) without luck or root.
public protocol FileSystem: Sendable {
    /// Creates or truncates `path` for writing (mode 0644); returns a descriptor.
    func createFile(_ path: String) throws(FileSystemError) -> Int32
    /// Writes all of `bytes` (looping over short writes).
    func write(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError)
    /// fsync(2): the file's bytes are on the disk.
    func sync(_ descriptor: Int32, path: String) throws(FileSystemError)
    /// close(2).
    func close(_ descriptor: Int32, path: String) throws(FileSystemError)
    /// rename(2): atomically replaces `destination`.
    func rename(_ source: String, to destination: String) throws(FileSystemError)
    /// fsync(2) on the directory, so a rename in it survives a power cut.
    func syncDirectory(_ path: String) throws(FileSystemError)
    /// unlink(2); a missing file is not an error.
    func remove(_ path: String) throws(FileSystemError)
    /// The whole file.
    func readFile(_ path: String) throws(FileSystemError) -> [UInt8]
    /// Names in a directory (without "." and ".."), each with whether it is a regular file.
    func list(_ directory: String) throws(FileSystemError) -> [(name: String, isRegularFile: Bool)]
    /// mkdir -p.
    func createDirectory(_ path: String) throws(FileSystemError)
    /// Opens (creating) `path` and takes an exclusive, non-blocking flock(2); returns the descriptor to keep.
    func lock(_ path: String) throws(FileSystemError) -> Int32
    /// Releases a lock from `lock`.
    func unlock(_ descriptor: Int32)
}

/// A failed file operation: what, on which path, and errno.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation, as a verb: "create", "write", "fsync", "close", "rename", "fsync directory", ...
    public var operation: String
    /// The file or directory.
    public var path: String
    /// errno.
    public var code: Int32

    /// An error from its parts.
    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// "cannot write /data/.K7QX3M.ganrun.tmp: No space left on device".
    public var description: String { "cannot \(operation) \(path): \(SystemFileSystem.message(for: code))" }
}
