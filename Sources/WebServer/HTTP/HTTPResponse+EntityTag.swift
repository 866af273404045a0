/// Entity tags and conditional GET for API responses (RFC 9110 §8.8.3, §13.1.2): a route whose answer does not
/// change (a paused run's state) lets a polling page revalidate with a bodiless 304.
///
/// ```swift
/// router.get("/api/runs/:code") { request, parameters in
///     let run = try lab.run(parameters["code"])
///     // Cheap path: the route knows a version number, so it answers 304 before encoding anything.
///     let tag = "\"run-\(run.code)-\(run.version)\""
///     if let unchanged = HTTPResponse.notModified(request, entityTag: tag) { return unchanged }
///     return HTTPResponse.json(.ok, run.stateJSON()).conditional(on: request, entityTag: tag)
///     // Without a version: `.json(.ok, text).conditional(on: request)` hashes the body.
/// }
/// ```
extension HTTPResponse {
    /// A strong entity tag derived from `body`: FNV-1a 64 of the bytes and their count, quoted.
    public static func entityTag(for body: [UInt8]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return "\"\(String(body.count, radix: 16))-\(String(hash, radix: 16))\""
    }

    /// This response with `ETag` (`entityTag`, or one hashed from the body) and, unless set, `Cache-Control:
    /// no-cache` (always revalidate); or `304 Not Modified` with the same validators when the request is a GET or
    /// HEAD whose `If-None-Match` matches (weak comparison, RFC 9110 §13.1.2). Non-2xx responses are returned as is.
    public func conditional(on request: HTTPRequest, entityTag: String? = nil) -> HTTPResponse {
        guard (200..<300).contains(status.code) else { return self }
        var response = self
        let tag = entityTag ?? Self.entityTag(for: body)
        response.headers.replaceOrAdd("ETag", tag)
        if !response.headers.contains("Cache-Control") { response.headers.add("Cache-Control", "no-cache") }
        if Self.isNotModified(request, entityTag: tag) {
            var headers = response.headers
            headers.remove("Content-Type")
            headers.remove("Content-Length")
            return HTTPResponse(status: .notModified, headers: headers)   // RFC 9110 §15.4.5: no content
        }
        return response
    }

    /// `304 Not Modified` with `ETag` for a GET or HEAD whose `If-None-Match` matches `entityTag`, else nil: lets a
    /// route skip building a body it knows is unchanged.
    public static func notModified(_ request: HTTPRequest, entityTag: String) -> HTTPResponse? {
        guard isNotModified(request, entityTag: entityTag) else { return nil }
        return HTTPResponse(status: .notModified, headers: ["ETag": entityTag, "Cache-Control": "no-cache"])
    }

    /// RFC 9110 §13.1.2: a GET/HEAD with an `If-None-Match` listing `entityTag` (weakly) or "*".
    static func isNotModified(_ request: HTTPRequest, entityTag: String) -> Bool {
        guard request.method == .GET || request.method == .HEAD else { return false }
        let values = request.headers.values("If-None-Match")
        return !values.isEmpty && values.contains { ifNoneMatch($0, matches: entityTag) }
    }

    /// True when an `If-None-Match` value lists `entityTag` under weak comparison (RFC 9110 §8.8.3.2) or is "*".
    static func ifNoneMatch(_ header: String, matches entityTag: String) -> Bool {
        let mine = opaque(Substring(entityTag))
        for candidate in header.split(separator: ",") {
            let tag = candidate.trimmingHTTPWhitespace()
            if tag == "*" || opaque(tag) == mine { return true }
        }
        return false
    }

    /// The opaque part of an entity tag with any weak prefix removed (weak comparison).
    private static func opaque(_ tag: Substring) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }
}
