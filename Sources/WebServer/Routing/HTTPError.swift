/// An error a route handler throws to answer with a JSON error body and the given status.
public struct HTTPError: Error, Sendable {
    /// The status to answer with.
    public var status: HTTPStatus
    /// The message put in `{"error":{"code":…,"message":…}}`.
    public var message: String
    /// Creates an error answer.
    public init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}
