/// Every bound the request parser enforces, so no input can make it allocate without limit.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line (method, target, version) in bytes; 414 when the target alone is too long, else 400.
    public var maxRequestLineBytes: Int
    /// Largest header section (or chunked trailer section) in bytes, line endings included; 431 beyond it.
    public var maxHeaderBytes: Int
    /// Most header fields in one request (or trailer section); 431 beyond it.
    public var maxHeaderCount: Int
    /// Largest request body in bytes, whether Content-Length or chunked; 413 beyond it.
    public var maxBodyBytes: Int

    /// Creates limits; the defaults suit a small JSON API and static files.
    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1 << 20) {
        precondition(maxRequestLineBytes > 0 && maxHeaderBytes > 0 && maxHeaderCount > 0 && maxBodyBytes >= 0,
                     "HTTPParserLimits: every limit must be positive (maxBodyBytes may be 0)")
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
