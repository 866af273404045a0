/// A connection's server-wide identifier (never reused while the server runs).
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// The raw number.
    public let rawValue: UInt64
    /// Wraps a raw number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// "#<number>".
    public var description: String { "#\(rawValue)" }
}
