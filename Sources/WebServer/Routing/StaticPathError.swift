/// Why a request path was refused before touching the file system.
public enum StaticPathError: Error, Sendable, Equatable {
    /// Not an origin-form path ("/..."), e.g. "*", "http://x/", or a relative path. -> 400
    case notOriginForm
    /// A `%` not followed by two hex digits, or decoded bytes that are not UTF-8. -> 400
    case badEncoding
    /// A `.` or `..` segment (literal or percent-encoded): browsers remove these, so only an attack sends them. -> 400
    case dotSegment
    /// A NUL, backslash or slash hidden inside a segment by percent-encoding, or a control character. -> 400
    case forbiddenCharacter
    /// A segment starting with "." (dotfiles such as .git are never served). -> 404
    case hiddenFile
    /// No such file, or it resolves (through a symlink) outside the public folder. -> 404
    case notFound

    /// The status code this refusal maps to (the one mapping, documented in docs/server.md).
    public var statusCode: Int {
        switch self {
        case .notOriginForm, .badEncoding, .dotSegment, .forbiddenCharacter: return 400
        case .hiddenFile, .notFound: return 404
        }
    }
}
