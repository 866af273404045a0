/// The validators of a static file (RFC 9110 §8.8) and the conditional-request decision (RFC 9110 §13).
public struct FileValidators: Sendable, Equatable {
    /// Strong entity tag `"<size hex>-<mtime ns hex>"`, quoted (RFC 9110 §8.8.3).
    public var entityTag: String
    /// Modification time in whole seconds since 1970, for Last-Modified (RFC 9110 §8.8.2).
    public var lastModified: Int

    /// Derives validators from a file's size and modification time.
    public init(size: Int, modifiedSeconds: Int, modifiedNanoseconds: Int) {
        let stamp = UInt64(max(0, modifiedSeconds)) &* 1_000_000_000 &+ UInt64(max(0, modifiedNanoseconds))
        entityTag = "\"\(String(size, radix: 16))-\(String(stamp, radix: 16))\""
        lastModified = modifiedSeconds
    }

    /// Creates validators from explicit values (tests, caches).
    public init(entityTag: String, lastModified: Int) {
        self.entityTag = entityTag
        self.lastModified = lastModified
    }

    /// True when a GET/HEAD with these request headers should be answered 304 Not Modified.
    ///
    /// RFC 9110 §13.2.2 order: If-None-Match wins when present (weak comparison, §8.8.3.2, "*" matches any);
    /// If-Modified-Since (already parsed; nil when absent or unparsable, which §13.1.3 says to ignore) only counts without If-None-Match.
    public func isNotModified(ifNoneMatch: String?, ifModifiedSince: Int?) -> Bool {
        if let ifNoneMatch { return HTTPResponse.ifNoneMatch(ifNoneMatch, matches: entityTag) }
        if let since = ifModifiedSince {
            return lastModified <= since
        }
        return false
    }
}
