/// Access log formatting: `METHOD target status bytes`.
enum AccessLog {
    /// One line for a request (nil when it could not be parsed).
    static func line(_ request: HTTPRequest?, status: Int, bytes: Int? = nil) -> String {
        let head = request.map { "\($0.method.rawValue) \($0.target)" } ?? "- -"
        return bytes.map { "\(head) \(status) \($0)" } ?? "\(head) \(status)"
    }
}
