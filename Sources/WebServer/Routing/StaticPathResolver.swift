import Glibc

/// Turns a raw request path into a file path that provably stays inside the public folder.
///
/// Two layers: the lexical check (`segments(of:)`) splits on "/" *before* percent-decoding, so an
/// encoded slash or backslash can never create a new segment, and refuses dot segments, NUL and
/// control bytes; the file-system check (`resolve`) runs `realpath(3)` and requires the result to stay
/// under the folder's own real path, which defeats symlinks pointing outside.
public struct StaticPathResolver: Sendable {
    /// The public folder's canonical path (no trailing slash).
    public let rootPath: String

    /// Creates a resolver for `root`; nil when the folder does not exist.
    public init?(root: String) {
        guard let real = StaticPathResolver.realPath(root) else { return nil }
        var isDirectory = stat()
        guard stat(real, &isDirectory) == 0, (isDirectory.st_mode & S_IFMT) == S_IFDIR else { return nil }
        rootPath = real
    }

    /// The decoded path segments of a raw (still percent-encoded) origin-form path, or why it is refused.
    public static func segments(of rawPath: String) -> Result<[String], StaticPathError> {
        let bytes = Array(rawPath.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return .failure(.notOriginForm) }
        var result: [String] = []
        for rawSegment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let decoded = percentDecode(rawSegment) else { return .failure(.badEncoding) }
            for byte in decoded {
                // NUL, control bytes, "/" or "\" after decoding (RFC 3986 §2.2: an encoded "/" is data, not a separator).
                if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                    return .failure(.forbiddenCharacter)
                }
            }
            guard let segment = String(validating: decoded, as: UTF8.self) else { return .failure(.badEncoding) }
            // RFC 3986 §5.2.4 dot segments: never normalised here, refused.
            if segment == "." || segment == ".." { return .failure(.dotSegment) }
            if segment.hasPrefix(".") { return .failure(.hiddenFile) }
            result.append(segment)
        }
        return .success(result)
    }

    /// Percent-decodes one segment (RFC 3986 §2.1); nil on a malformed escape.
    static func percentDecode<C: Collection>(_ bytes: C) -> [UInt8]? where C.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { output.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            output.append(high << 4 | low)
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The canonical path of an existing regular file for `rawPath` (a directory maps to its index.html).
    public func resolve(_ rawPath: String) -> Result<String, StaticPathError> {
        let segments: [String]
        switch Self.segments(of: rawPath) {
        case .success(let s): segments = s
        case .failure(let error): return .failure(error)
        }
        let candidate = segments.isEmpty ? rootPath : rootPath + "/" + segments.joined(separator: "/")
        guard var real = Self.realPath(candidate), isInsideRoot(real) else { return .failure(.notFound) }
        var info = stat()
        guard stat(real, &info) == 0 else { return .failure(.notFound) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            guard let index = Self.realPath(real + "/index.html"), isInsideRoot(index),
                  stat(index, &info) == 0 else { return .failure(.notFound) }
            real = index
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notFound) }
        return .success(real)
    }

    private func isInsideRoot(_ real: String) -> Bool {
        real == rootPath || real.hasPrefix(rootPath == "/" ? "/" : rootPath + "/")
    }

    /// `realpath(3)`: the absolute path with symlinks, "." and ".." resolved; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
