import Foundation
import Glibc

/// Serves files from the public folder: safe path resolution, MIME types, validators and 304s, HEAD,
/// `Cache-Control`, directory -> index.html, and a small in-memory cache keyed by path and validators.
///
/// Runs on worker threads (file reads never block the I/O thread); the cache is guarded by a lock.
public final class StaticFileHandler: @unchecked Sendable {
    /// The path resolver (owns the canonical root).
    public let resolver: StaticPathResolver
    /// `Cache-Control` value for every file response.
    public let cacheControl: String
    /// Files up to this many bytes are cached in memory.
    public let maxCachedFileBytes: Int
    /// Total bytes the cache may hold before it is emptied.
    public let cacheBudgetBytes: Int

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

    /// The response for a GET or HEAD of `request.path`: 200, 304, 400 (hostile path) or 404.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let path: String
        switch resolver.resolve(request.path) {
        case .success(let resolved): path = resolved
        case .failure(let error):
            let status: HTTPStatus = error.statusCode == 400 ? .badRequest : .notFound
            return .error(status, error.statusCode == 400 ? "refused path" : "not found")
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return .error(.notFound, "not found") }
        let validators = FileValidators(size: Int(info.st_size), modifiedSeconds: Int(info.st_mtim.tv_sec),
                                        modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
        var headers = HTTPHeaders()
        headers.add("ETag", validators.entityTag)
        headers.add("Last-Modified", HTTPDate.format(validators.lastModified))
        headers.add("Cache-Control", cacheControl)
        let ifModifiedSince = request.headers["If-Modified-Since"].flatMap(HTTPDate.parse)
        if validators.isNotModified(ifNoneMatch: request.headers["If-None-Match"], ifModifiedSince: ifModifiedSince) {
            return HTTPResponse(status: .notModified, headers: headers)   // RFC 9110 §15.4.5
        }
        guard let body = body(of: path, validators: validators, size: Int(info.st_size)) else {
            return .error(.notFound, "not found")
        }
        headers.add("Content-Type", MIMEType.forPath(path))
        headers.add("X-Content-Type-Options", "nosniff")
        return HTTPResponse(status: .ok, headers: headers, body: body)
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
