import Foundation
import GANLab
#if canImport(Glibc)
import Glibc
#endif

/// The real file system with one injected fault: a step that fails with an errno (a full disk, a read-only
/// directory), or a simulated crash at a step, after which nothing more reaches the disk (as if the process
/// had died there: no clean-up runs; a write crash leaves half the bytes).
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
    /// Operations a fault can target.
    enum Operation: String, Sendable, CaseIterable {
        case create, write, sync, close, rename, syncDirectory, remove, read, list, createDirectory, lock
    }

    private enum Mode {
        case normal
        case failing(Operation, Int32, pathContains: String?)
        case crashing(Operation)
        case dead
    }

    private let real = SystemFileSystem()
    private let guardLock = NSLock()
    private var mode = Mode.normal

    /// Every call of `operation` (on a path containing `pathContains`) fails with `code` until `heal()`.
    func fail(_ operation: Operation, with code: Int32, pathContains: String? = nil) {
        guardLock.withLock { mode = .failing(operation, code, pathContains: pathContains) }
    }

    /// The next `operation` "crashes" the process: it does not happen (a write writes half), nor does anything after.
    func crash(at operation: Operation) { guardLock.withLock { mode = .crashing(operation) } }

    /// Back to the real file system.
    func heal() { guardLock.withLock { mode = .normal } }

    /// Throws when `operation` on `path` must fail; returns true when it must crash now (half a write).
    private func check(_ operation: Operation, _ path: String) throws(FileSystemError) -> Bool {
        let decision: (fail: Int32?, crash: Bool) = guardLock.withLock {
            switch mode {
            case .normal: return (nil, false)
            case .dead: return (EIO, false)
            case .failing(let op, let code, let needle):
                return (op == operation && (needle.map { path.contains($0) } ?? true) ? code : nil, false)
            case .crashing(let op):
                guard op == operation else { return (nil, false) }
                mode = .dead
                return (operation == .write ? nil : EIO, operation == .write)
            }
        }
        if let code = decision.fail { throw FileSystemError(operation: "(injected) \(operation.rawValue)", path: path, code: code) }
        return decision.crash
    }

    func createFile(_ path: String) throws(FileSystemError) -> Int32 {
        _ = try check(.create, path)
        return try real.createFile(path)
    }

    func write(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError) {
        if try check(.write, path) {
            try real.write(descriptor, Array(bytes.prefix(bytes.count / 2)), path: path)
            throw FileSystemError(operation: "(crashed) write", path: path, code: EIO)
        }
        try real.write(descriptor, bytes, path: path)
    }

    func sync(_ descriptor: Int32, path: String) throws(FileSystemError) {
        _ = try check(.sync, path)
        try real.sync(descriptor, path: path)
    }

    func close(_ descriptor: Int32, path: String) throws(FileSystemError) {
        do {
            _ = try check(.close, path)
        } catch {
            _ = Glibc.close(descriptor)  // the kernel closes it either way
            throw error
        }
        try real.close(descriptor, path: path)
    }

    func rename(_ source: String, to destination: String) throws(FileSystemError) {
        _ = try check(.rename, destination)
        try real.rename(source, to: destination)
    }

    func syncDirectory(_ path: String) throws(FileSystemError) {
        _ = try check(.syncDirectory, path)
        try real.syncDirectory(path)
    }

    func remove(_ path: String) throws(FileSystemError) {
        _ = try check(.remove, path)
        try real.remove(path)
    }

    func readFile(_ path: String) throws(FileSystemError) -> [UInt8] {
        _ = try check(.read, path)
        return try real.readFile(path)
    }

    func list(_ directory: String) throws(FileSystemError) -> [(name: String, isRegularFile: Bool)] {
        _ = try check(.list, directory)
        return try real.list(directory)
    }

    func createDirectory(_ path: String) throws(FileSystemError) {
        _ = try check(.createDirectory, path)
        try real.createDirectory(path)
    }

    func lock(_ path: String) throws(FileSystemError) -> Int32 {
        _ = try check(.lock, path)
        return try real.lock(path)
    }

    /// A dead process's locks are released too.
    func unlock(_ descriptor: Int32) { real.unlock(descriptor) }
}
