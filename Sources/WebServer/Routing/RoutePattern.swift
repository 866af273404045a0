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

    /// Parses a pattern; empty segments ("//", trailing "/") are ignored.
    public init(_ pattern: String) {
        segments = pattern.split(separator: "/").map { piece in
            piece.hasPrefix(":") ? .parameter(String(piece.dropFirst())) : .literal(String(piece))
        }
    }

    /// The parameters when `rawPath` (percent-encoded) matches, else nil. Segments are decoded before comparing.
    public func match(_ rawPath: String) -> RouteParameters? {
        let pieces = rawPath.split(separator: "/")
        guard pieces.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, piece) in zip(segments, pieces) {
            guard let bytes = StaticPathResolver.percentDecode(piece.utf8),
                  let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
            switch segment {
            case .literal(let text):
                guard decoded == text else { return nil }
            case .parameter(let name):
                values[name] = decoded
            }
        }
        return RouteParameters(values)
    }
}
