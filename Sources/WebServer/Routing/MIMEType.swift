/// Content types for static files, chosen by file extension (IANA media types; RFC 9110 §8.3).
public enum MIMEType {
    /// The type for files whose extension is unknown: browsers will not sniff or execute it.
    public static let fallback = "application/octet-stream"

    /// Lowercased extension -> Content-Type. Text types say their charset so browsers never guess.
    public static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",     // RFC 9239 §6
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "xml": "application/xml",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "ico": "image/x-icon",
        "wasm": "application/wasm",
        "woff": "font/woff",
        "woff2": "font/woff2",
        "ttf": "font/ttf",
        "otf": "font/otf",
        "pdf": "application/pdf",
        "bin": "application/octet-stream",
    ]

    /// The Content-Type for a file name or path (by its last extension, ASCII case-insensitive).
    ///
    /// Works on the UTF-8 bytes (no `Character` splitting or Unicode case mapping): it runs for every static file.
    public static func forPath(_ path: String) -> String {
        let bytes = path.utf8
        let nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        guard let dot = bytes[nameStart...].lastIndex(of: UInt8(ascii: ".")), dot != nameStart else { return fallback }
        let ext = bytes[bytes.index(after: dot)...]
        guard ext.count <= 8 else { return fallback }   // no known extension is longer
        let lowered = String(decoding: ext.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        return byExtension[lowered] ?? fallback
    }
}
