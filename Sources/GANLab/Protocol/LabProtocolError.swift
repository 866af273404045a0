import Foundation
import GANEngine
import WebServer

/// Every refusal the lab sends, typed. This file is the one place where an error becomes wire text: its
/// code (docs/protocol.md §2.4), the WebSocket `error` reply (`reply`) and the HTTP answer (`httpResponse`).
public enum LabProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, or not an object.
    case badJSON(String)
    /// `type` missing or not a command.
    case unknownType(String?)
    /// A field of the wrong JSON type, an unknown field, setting key or choice.
    case badField(field: String, message: String)
    /// A number outside its range; the message gives the range.
    case outOfRange(field: String, message: String)
    /// NaN or ±∞ where a number was expected.
    case notFinite(field: String)
    /// A drawing over the point limit.
    case tooManyPoints(count: Int, maximum: Int)
    /// A viewer sent a controller command.
    case readOnly(command: String)
    /// `auth` (or `Authorization`) with a wrong or missing token.
    case badToken
    /// Too many commands on this connection, or the run's queue is full.
    case rateLimited(String)
    /// `play` or `step` on a diverged run.
    case runFailed(String)
    /// The server holds as many runs (or viewers) as it may.
    case busy(String)
    /// No such run.
    case notFound(String)
    /// A message over the size limit (the socket closes with 1009).
    case messageTooBig(limit: Int)
    /// Something on the server side failed (e.g. the run archive); never the client's fault.
    case unavailable(String)

    /// The wire code (docs/protocol.md §2.4).
    public var code: String {
        switch self {
        case .badJSON: return "bad-json"
        case .unknownType: return "unknown-type"
        case .badField: return "bad-field"
        case .outOfRange: return "out-of-range"
        case .notFinite: return "not-finite"
        case .tooManyPoints: return "too-many-points"
        case .readOnly: return "read-only"
        case .badToken: return "bad-token"
        case .rateLimited: return "rate-limited"
        case .runFailed: return "run-failed"
        case .busy: return "busy"
        case .notFound: return "not-found"
        case .messageTooBig: return "message-too-big"
        case .unavailable: return "unavailable"
        }
    }

    /// A sentence a student understands.
    public var message: String {
        switch self {
        case .badJSON(let reason): return "The message is not a JSON object: \(reason)."
        case .unknownType(let type?):
            return "Unknown command \"\(type)\": allowed \(CommandDecoder.commandNames.joined(separator: ", "))."
        case .unknownType(nil): return "The message has no \"type\" naming a command."
        case .badField(_, let message), .outOfRange(_, let message): return message
        case .notFinite(let field): return "\(field) must be a finite number."
        case .tooManyPoints(let count, let maximum): return "\(count) points is too many: a drawing may have 1…\(maximum) points."
        case .readOnly(let command): return "You are watching this run: only its owner may \(command) it (fork it to make your own)."
        case .badToken: return "That token does not control this run."
        case .rateLimited(let message): return message
        case .runFailed(let message): return "The run has diverged (\(message)): reset it first."
        case .busy(let message): return message
        case .notFound(let code): return "There is no run \(code) (it may have been deleted)."
        case .messageTooBig(let limit): return "The message is larger than \(limit) bytes."
        case .unavailable(let message): return message
        }
    }

    /// The offending key, where there is one.
    public var field: String? {
        switch self {
        case .badField(let field, _), .outOfRange(let field, _), .notFinite(let field): return field
        case .tooManyPoints: return "points"
        case .badToken: return "token"
        default: return nil
        }
    }

    /// The message (for logs and tests).
    public var description: String { "\(code): \(message)" }

    /// The WebSocket `error` reply to a command (docs/protocol.md §2.2).
    public func reply(id: JSON?, command: String?) -> JSON {
        .object(["type": "error", "id": id ?? .null, "command": .optional(command), "code": .string(code),
                 "message": .string(message), "field": .optional(field)])
    }

    /// The HTTP status this error answers with.
    public var status: HTTPStatus {
        switch self {
        case .badJSON, .unknownType, .badField, .outOfRange, .notFinite, .tooManyPoints, .runFailed: return .badRequest
        case .readOnly, .badToken: return .forbidden
        case .rateLimited: return .tooManyRequests
        case .busy, .unavailable: return .serviceUnavailable
        case .notFound: return .notFound
        case .messageTooBig: return .payloadTooLarge
        }
    }

    /// `{"error":{"code":STATUS,"kind":…,"message":…,"field":…}}` (docs/protocol.md §1).
    public var httpResponse: HTTPResponse {
        var error: JSONObject = ["code": .int(status.code), "kind": .string(code), "message": .string(message)]
        if let field { error["field"] = .string(field) }
        return .json(status, JSON.object(["error": .object(error)]).text)
    }

    /// A settings-table refusal, mapped to its wire code.
    public init(_ error: SettingError) {
        switch error {
        case .notFinite(let key): self = .notFinite(field: key)
        case .outOfRange(let key, let value, let allowed):
            // docs/protocol.md §2.4 writes ranges with an ellipsis: "allowed 1e-06…10".
            func plain(_ number: Substring) -> String { number.hasSuffix(".0") ? String(number.dropLast(2)) : String(number) }
            let bounds = allowed.components(separatedBy: "...").map { plain(Substring($0)) }.joined(separator: "…")
            self = .outOfRange(field: key, message: "\(key) \(plain(Substring(value))) is out of range: allowed \(bounds)")
        default: self = .badField(field: error.key, message: error.description)
        }
    }

    /// A refused point set, mapped to its wire code; `field` prefixes the engine's own field names.
    public init(_ error: DataError) {
        let text = error.description
        switch error {
        case .tooManyPoints(let count, let maximum): self = .tooManyPoints(count: count, maximum: maximum)
        case .nonFiniteCoordinate(let index): self = .notFinite(field: "points[\(index)]")
        case .coordinateOutsideDomain(let index): self = .outOfRange(field: "points[\(index)]", message: text)
        case .emptyPointSet: self = .outOfRange(field: "points", message: text)
        case .weightCountMismatch: self = .badField(field: "weights", message: text)
        case .invalidWeight(let index): self = .outOfRange(field: "weights[\(index)]", message: text)
        case .allWeightsZero: self = .outOfRange(field: "weights", message: text)
        case .jitterOutOfRange: self = .outOfRange(field: "jitter", message: text)
        case .noiseDimensionOutOfRange: self = .outOfRange(field: "noise.dimension", message: text)
        }
    }
}
