/// A route path such as "/api/runs/:id/frames": literal segments and `:name` parameters (one segment each).
public struct RoutePattern: Sendable, Equatable {
    /// One piece of the pattern.
    public enum Segment: Sendable, Equatable {
        /// Must equal this decoded text.
        case literal(String)
        /// Captures one non-empty segment under this name.
        case parameter(String)
    }

    /// The pattern's segments (empty for "/").
    public let segments: [Segment]
    /// Each literal segment's UTF-8 bytes (nil for parameters), so matching compares bytes, not Strings.
    private let literalBytes: [[UInt8]?]

    /// Parses a pattern; empty segments ("//", trailing "/") are ignored.
    public init(_ pattern: String) {
        segments = pattern.split(separator: "/").map { piece in
            piece.hasPrefix(":") ? .parameter(String(piece.dropFirst())) : .literal(String(piece))
        }
        literalBytes = segments.map { if case .literal(let text) = $0 { return Array(text.utf8) } else { return nil } }
    }

    /// Patterns are equal when their segments are.
    public static func == (lhs: RoutePattern, rhs: RoutePattern) -> Bool { lhs.segments == rhs.segments }

    /// The parameters when `rawPath` (percent-encoded) matches, else nil. Segments are decoded before comparing.
    ///
    /// Runs for every request against every route, so it scans UTF-8 bytes: a segment without `%` is compared as
    /// is, and Strings are only made for captured parameters.
    public func match(_ rawPath: String) -> RouteParameters? {
        var values: [String: String] = [:]
        var index = 0
        var matched = true
        for piece in rawPath.utf8.split(separator: UInt8(ascii: "/")) {
            guard index < segments.count else { return nil }
            let hasEscape = piece.contains(UInt8(ascii: "%"))
            if let literal = literalBytes[index] {
                if hasEscape {
                    guard let decoded = StaticPathResolver.percentDecode(piece), decoded == literal else { matched = false; break }
                } else if !piece.elementsEqual(literal) {
                    matched = false
                    break
                }
            } else if case .parameter(let name) = segments[index] {
                guard let bytes = hasEscape ? StaticPathResolver.percentDecode(piece) : Array(piece),
                      let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
                values[name] = decoded
            }
            index += 1
        }
        guard matched, index == segments.count else { return nil }
        return RouteParameters(values)
    }
}
