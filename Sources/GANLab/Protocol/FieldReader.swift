import GANEngine

/// Reads the fields of one JSON object with errors that name the field (docs/protocol.md §2.4): a wrong type
/// or an unknown key is `bad-field`, a number outside its range `out-of-range` with the range in the message,
/// NaN or ∞ `not-finite`. Used by commands and by the HTTP bodies, so both refuse the same way.
struct FieldReader {
    /// The object read.
    let object: JSONObject
    /// Prepended to key names in errors (e.g. "config.").
    let prefix: String

    /// Checks that `value` is an object whose keys are all in `allowed`.
    init(_ value: JSON, allowed: Set<String>, prefix: String = "", what: String = "the message") throws(LabProtocolError) {
        guard case .object(let object) = value else {
            throw .badJSON("\(what) must be a JSON object, not \(value.kindDescription)")
        }
        for key in object.keys where !allowed.contains(key) {
            throw .badField(field: prefix + key, message: "Unknown field \"\(prefix + key)\": allowed \(allowed.sorted().joined(separator: ", ")).")
        }
        self.object = object
        self.prefix = prefix
    }

    /// Whether the field is present (null counts as absent).
    func has(_ key: String) -> Bool {
        if let value = object[key], value != .null { return true }
        return false
    }

    /// A string field, if present.
    func string(_ key: String) throws(LabProtocolError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    /// A boolean field, if present.
    func bool(_ key: String) throws(LabProtocolError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, "true or false", value) }
        return flag
    }

    /// A finite number in `range`, if present.
    func number(_ key: String, in range: ClosedRange<Double>) throws(LabProtocolError) -> Double? {
        guard let value = present(key) else { return nil }
        guard case .number(let number) = value else { throw wrongType(key, "a number", value) }
        guard number.isFinite else { throw .notFinite(field: prefix + key) }
        guard range.contains(number) else { throw Self.outOfRange(prefix + key, number, "\(Self.text(range.lowerBound))…\(Self.text(range.upperBound))") }
        return number
    }

    /// A whole number in `range`, if present.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(LabProtocolError) -> Int? {
        guard let value = present(key) else { return nil }
        return try Self.integer(value, field: prefix + key, in: range)
    }

    /// A whole number in `range` from any JSON value.
    static func integer(_ value: JSON, field: String, in range: ClosedRange<Int>) throws(LabProtocolError) -> Int {
        guard case .number(let number) = value else {
            throw .badField(field: field, message: "\(field) must be an integer, not \(value.kindDescription).")
        }
        guard number.isFinite else { throw .notFinite(field: field) }
        guard number == number.rounded() else { throw .badField(field: field, message: "\(field) must be a whole number, not \(text(number)).") }
        guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw outOfRange(field, number, "\(range.lowerBound)…\(range.upperBound)")
        }
        return Int(number)
    }

    /// A list field, if present.
    func list(_ key: String) throws(LabProtocolError) -> [JSON]? {
        guard let value = present(key) else { return nil }
        guard case .array(let values) = value else { throw wrongType(key, "a list", value) }
        return values
    }

    /// The raw value of a field, if present.
    func present(_ key: String) -> JSON? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    private func wrongType(_ key: String, _ expected: String, _ value: JSON) -> LabProtocolError {
        .badField(field: prefix + key, message: "\(prefix + key) must be \(expected), not \(value.kindDescription).")
    }

    /// "fps 90 is out of range: allowed 1…60" (the settings table's wording).
    static func outOfRange(_ field: String, _ value: Double, _ allowed: String) -> LabProtocolError {
        .outOfRange(field: field, message: "\(field) \(text(value)) is out of range: allowed \(allowed)")
    }

    /// A number as a person writes it (no trailing ".0"; whole numbers in digits up to 10¹⁸, not "9.007199e+15").
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e18 { return String(Int64(value)) }
        var bytes: [UInt8] = []
        JSON.writeNumber(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
