import WebServer

extension HTTPStatus {
    /// 201: a run was created (RFC 9110 §15.3.2).
    static let created = HTTPStatus(201, "Created")
    /// 429: too many requests (RFC 6585 §4).
    static let tooManyRequests = HTTPStatus(429, "Too Many Requests")
}
