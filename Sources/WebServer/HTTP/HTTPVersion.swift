/// An HTTP protocol version (RFC 9110 §2.5); the parser accepts only 1.0 and 1.1.
public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    /// The major version digit.
    public var major: Int
    /// The minor version digit.
    public var minor: Int

    /// Creates a version from its two digits.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0 (RFC 1945): connections close after each response unless "keep-alive" is asked for.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1 (RFC 9112): persistent connections by default.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The wire form, e.g. "HTTP/1.1" (RFC 9112 §2.3).
    public var description: String { "HTTP/\(major).\(minor)" }
}
