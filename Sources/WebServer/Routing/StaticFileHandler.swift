import Foundation
import Glibc

/// Serves files from the public folder: safe path resolution, MIME types, validators and 304s, HEAD,
/// `Cache-Control`, directory -> index.html, and a small in-memory cache keyed by path and validators.
///
/// Files up to `maxCachedFileBytes` are read whole (on a worker thread) and cached; larger ones are not read at
/// all: the response carries the open file and the I/O thread streams it with `sendfile(2)`, so four clients
/// downloading a 100 MB file cost four descriptors, not 400 MB. The cache is guarded by a lock.
public final class StaticFileHandler: @unchecked Sendable {
    /// The path resolver (owns the canonical root).
    public let resolver: StaticPathResolver
    /// `Cache-Control` value for every file response.
    public let cacheControl: String
    /// Files up to this many bytes are cached in memory.
    public let maxCachedFileBytes: Int
    /// Total bytes the cache may hold before it is emptied.
    public let cacheBudgetBytes: Int

    /// A response, and for a streamed file (GET of a file over `maxCachedFileBytes`) the open file to send after
    /// its head; the response then has an empty body and the file's `Content-Length`.
    struct Answer {
        /// Status, headers, and the body unless streamed.
        var response: HTTPResponse
        /// The file's bytes to stream after the head, when not in `response.body`.
        var file: FileRegion?
    }

    private struct CachedFile {
        var validators: FileValidators
        var body: [UInt8]
    }

    private let lock = NSLock()
    private var cache: [String: CachedFile] = [:]
    private var cachedBytes = 0

    /// A handler for `root`; nil when the folder does not exist.
    public init?(root: String, cacheControl: String = "no-cache", maxCachedFileBytes: Int = 1 << 20, cacheBudgetBytes: Int = 32 << 20) {
        guard let resolver = StaticPathResolver(root: root) else { return nil }
        self.resolver = resolver
        self.cacheControl = cacheControl
        self.maxCachedFileBytes = maxCachedFileBytes
        self.cacheBudgetBytes = cacheBudgetBytes
    }

    /// The response for a GET or HEAD of `request.path`: 200, 304, 400 (hostile path) or 404. A large file's
    /// body is read here (for callers without a socket); the server itself streams it (`answer(to:)`).
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        var answer = answer(to: request)
        if let file = answer.file, let bytes = Self.readFile(fd: file.fd, expectedSize: file.remaining) { answer.response.body = bytes }
        return answer.response
    }

    /// The response to a GET or HEAD, with large files left open for streaming.
    func answer(to request: HTTPRequest) -> Answer {
        let path: String
        switch resolver.resolve(request.path) {
        case .success(let resolved): path = resolved
        case .failure(let error):
            let status: HTTPStatus = error.statusCode == 400 ? .badRequest : .notFound
            return Answer(response: .error(status, error.statusCode == 400 ? "refused path" : "not found"))
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return Answer(response: .error(.notFound, "not found")) }
        var file: FileRegion?
        if Int(info.st_size) > maxCachedFileBytes && request.method == .GET {
            // Open first and take the validators from the descriptor, so the headers describe the bytes sent.
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0, fstat(fd, &info) == 0 else {
                if fd >= 0 { close(fd) }
                return Answer(response: .error(.notFound, "not found"))
            }
            file = FileRegion(fd: fd, end: Int(info.st_size))
        }
        let size = Int(info.st_size)
        let validators = FileValidators(size: size, modifiedSeconds: Int(info.st_mtim.tv_sec),
                                        modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
        var headers = HTTPHeaders()
        headers.add("ETag", validators.entityTag)
        headers.add("Last-Modified", HTTPDate.format(validators.lastModified))
        headers.add("Cache-Control", cacheControl)
        let ifModifiedSince = request.headers["If-Modified-Since"].flatMap(HTTPDate.parse)
        if validators.isNotModified(ifNoneMatch: request.headers["If-None-Match"], ifModifiedSince: ifModifiedSince) {
            return Answer(response: HTTPResponse(status: .notModified, headers: headers))   // RFC 9110 §15.4.5
        }
        headers.add("Content-Type", MIMEType.forPath(path))
        headers.add("X-Content-Type-Options", "nosniff")
        if size > maxCachedFileBytes {
            // Streamed (GET) or HEAD: the length is stated, the body is not read.
            headers.add("Content-Length", String(size))
            return Answer(response: HTTPResponse(status: .ok, headers: headers), file: file)
        }
        guard let body = body(of: path, validators: validators, size: size) else {
            return Answer(response: .error(.notFound, "not found"))
        }
        return Answer(response: HTTPResponse(status: .ok, headers: headers, body: body))
    }

    private func body(of path: String, validators: FileValidators, size: Int) -> [UInt8]? {
        lock.lock()
        if let hit = cache[path], hit.validators == validators {
            lock.unlock()
            return hit.body
        }
        lock.unlock()
        guard let bytes = Self.readFile(path, expectedSize: size) else { return nil }
        if bytes.count <= maxCachedFileBytes {
            lock.lock()
            if cachedBytes + bytes.count > cacheBudgetBytes {
                cache.removeAll()
                cachedBytes = 0
            }
            cachedBytes -= cache[path]?.body.count ?? 0
            cache[path] = CachedFile(validators: validators, body: bytes)
            cachedBytes += bytes.count
            lock.unlock()
        }
        return bytes
    }

    /// Reads a whole file with read(2); nil when it cannot be opened.
    static func readFile(_ path: String, expectedSize: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readFile(fd: fd, expectedSize: expectedSize)
    }

    /// Reads up to `expectedSize` bytes from an open descriptor's current position.
    static func readFile(fd: Int32, expectedSize: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: max(expectedSize, 0))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
