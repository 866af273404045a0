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

    /// Whether this pattern is more specific than `other` (both matching the same path): at the first segment
    /// where they differ, a literal beats a parameter, so "/api/runs/import" wins over "/api/runs/:code".
    public func isMoreSpecific(than other: RoutePattern) -> Bool {
        for (mine, theirs) in zip(literalBytes, other.literalBytes) where (mine == nil) != (theirs == nil) {
            return mine != nil
        }
        return false
    }

    /// Patterns are equal when their segments are.
    public static func == (lhs: RoutePattern, rhs: RoutePattern) -> Bool { lhs.segments == rhs.segments }

    /// The parameters when `rawPath` (percent-encoded) matches, else nil. Segments are decoded before comparing.
    public func match(_ rawPath: String) -> RouteParameters? {
        match(Self.pieces(of: rawPath))
    }

    /// A raw path's non-empty segments, as UTF-8: split once per request, then matched against every route.
    public static func pieces(of rawPath: String) -> [Substring.UTF8View] {
        rawPath.utf8.split(separator: UInt8(ascii: "/"))
    }

    /// The parameters when the path split by `pieces(of:)` matches, else nil.
    ///
    /// Runs for every request against every route, so it compares UTF-8 bytes: a segment without `%` is compared as
    /// is, and Strings are only made for captured parameters.
    public func match(_ pieces: [Substring.UTF8View]) -> RouteParameters? {
        guard pieces.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (index, piece) in pieces.enumerated() {
            let hasEscape = piece.contains(UInt8(ascii: "%"))
            if let literal = literalBytes[index] {
                if hasEscape {
                    guard let decoded = StaticPathResolver.percentDecode(piece), decoded == literal else { return nil }
                } else if !piece.elementsEqual(literal) {
                    return nil
                }
            } else if case .parameter(let name) = segments[index] {
                guard let bytes = hasEscape ? StaticPathResolver.percentDecode(piece) : Array(piece),
                      let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
                values[name] = decoded
            }
        }
        return RouteParameters(values)
    }
}
