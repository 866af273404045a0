/// A JSON value (RFC 8259) as the lab reads commands and writes messages: objects keep their key order,
/// so messages come out in the order docs/protocol.md lists their fields.
///
/// Why not Foundation: `JSONSerialization` turns `1e400` into an error instead of the ∞ the protocol must
/// report as `not-finite`, cannot tell `2` from `2.0` reliably across platforms, and does not keep key order.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    /// A whole number.
    public static func int(_ value: Int) -> JSON { .number(Double(value)) }

    /// A Float written in its shortest form ("0.03", not "0.029999999329447746").
    public static func float(_ value: Float) -> JSON { .number(Double(value)) }

    /// A string, or null.
    public static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// The value of `key` when this is an object holding it.
    public subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The JSON type's name as an error message says it ("a number", "an object", ...).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON object: key/value pairs in order. Lookups are linear, which beats hashing for the handful of keys a
/// protocol message has.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The members in order.
    public private(set) var pairs: [(key: String, value: JSON)]

    /// An object from pairs (later duplicates are kept as given; the reader refuses them).
    public init(_ pairs: [(key: String, value: JSON)] = []) { self.pairs = pairs }

    /// An object literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
    }

    /// The value of the first member named `key`; setting replaces it or appends a member.
    public subscript(key: String) -> JSON? {
        get { pairs.first { $0.key == key }?.value }
        set {
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[index].value = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append((key: key, value: newValue))
            }
        }
    }

    /// The member names in order.
    public var keys: [String] { pairs.map(\.key) }

    /// Pairwise equality in order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
                ExpressibleByArrayLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral, ExpressibleByDictionaryLiteral {
    /// An object literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A float literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// true or false.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A list literal.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    /// null.
    public init(nilLiteral: ()) { self = .null }
}
