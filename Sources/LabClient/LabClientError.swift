/// Why a `LabClient` call failed.
public enum LabClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed.
    case system(String, Int32)
    /// The server's answer was not what the protocol says.
    case protocolViolation(String)
    /// Nothing arrived in time.
    case timedOut(String)
    /// The server closed the connection (with this close code, when it sent one).
    case closed(code: UInt16?, reason: String)

    /// One line.
    public var description: String {
        switch self {
        case .system(let call, let code): return "\(call) failed: errno \(code)"
        case .protocolViolation(let what): return "protocol violation: \(what)"
        case .timedOut(let what): return "timed out waiting for \(what)"
        case .closed(let code, let reason): return "closed (\(code.map(String.init) ?? "no code")) \(reason)"
        }
    }
}
