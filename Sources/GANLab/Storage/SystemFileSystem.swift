#if canImport(Glibc)
import Glibc
#endif

/// `FileSystem` on the operating system's calls (the only code in Storage that touches files).
public struct SystemFileSystem: FileSystem {
    /// The real file system.
    public init() {}

    /// strerror(3).
    static func message(for code: Int32) -> String { String(cString: strerror(code)) }

    private func fail(_ operation: String, _ path: String) -> FileSystemError {
        FileSystemError(operation: operation, path: path, code: errno)
    }

    public func createFile(_ path: String) throws(FileSystemError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("create", path) }
        return fd
    }

    public func write(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write", path)
            }
            done += n
        }
    }

    public func sync(_ descriptor: Int32, path: String) throws(FileSystemError) {
        guard fsync(descriptor) == 0 else { throw fail("fsync", path) }
    }

    public func close(_ descriptor: Int32, path: String) throws(FileSystemError) {
        // POSIX: after EINTR the descriptor's state is unspecified; on Linux it is closed, so never retry.
        guard Glibc.close(descriptor) == 0 || errno == EINTR else { throw fail("close", path) }
    }

    public func rename(_ source: String, to destination: String) throws(FileSystemError) {
        guard Glibc.rename(source, destination) == 0 else { throw fail("rename", "\(source) to \(destination)") }
    }

    public func syncDirectory(_ path: String) throws(FileSystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open directory", path) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw fail("fsync directory", path) }
    }

    public func remove(_ path: String) throws(FileSystemError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw fail("delete", path) }
    }

    public func readFile(_ path: String) throws(FileSystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("open", path) }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("read", path)
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    public func list(_ directory: String) throws(FileSystemError) -> [(name: String, isRegularFile: Bool)] {
        guard let dir = opendir(directory) else { throw fail("list", directory) }
        defer { closedir(dir) }
        var entries: [(String, Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            var info = stat()
            let isRegular = lstat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            entries.append((name, isRegular))
        }
        return entries.sorted { $0.0 < $1.0 }
    }

    public func createDirectory(_ path: String) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw fail("create directory", prefix) }
        }
    }

    public func lock(_ path: String) throws(FileSystemError) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("open", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = fail("lock", path)
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    public func unlock(_ descriptor: Int32) {
        flock(descriptor, LOCK_UN)
        Glibc.close(descriptor)
    }
}
