/// Reads one JSON text (RFC 8259) for the protocol with the lab's one strict parser (`StrictJSONParser`, shared
/// with run-configuration files): strict grammar, UTF-8 checked, nesting bounded, duplicate keys refused. A number
/// too large for a Double becomes ±∞, so `1e400` reaches the caller as "not finite" (docs/protocol.md §2.4)
/// rather than as a parse error.
public enum JSONReader {
    /// Why a text is not acceptable JSON, and where (1-based line and column).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was wrong.
        public var reason: String
        /// Where reading stopped.
        public var line: Int, column: Int
        /// "… at line 1, column 7".
        public var description: String { "\(reason) at line \(line), column \(column)" }
    }

    /// Deepest nesting of lists and objects accepted (a drawing is 3 deep).
    public static let maximumDepth = StrictJSONParser.maximumDepth

    /// The value of the whole text (only whitespace may follow it).
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSON {
        do {
            return JSON(try StrictJSONParser.parse(bytes))
        } catch {
            throw Failure(reason: error.reason, line: error.line, column: error.column)
        }
    }

    /// The value of a UTF-8 string.
    public static func parse(_ text: String) throws(Failure) -> JSON { try parse(Array(text.utf8)) }
}

extension JSON {
    /// The protocol's form of a parsed value (numbers as Doubles, objects in file order).
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let d, _): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let values): self = .array(values.map(JSON.init))
        case .object(let pairs): self = .object(JSONObject(pairs.map { (key: $0.0, value: JSON($0.1)) }))
        }
    }
}
