/// Header fields as ordered name/value pairs with case-insensitive lookup (RFC 9110 §5.1).
///
/// Order is kept because repeated fields are combined in order (RFC 9110 §5.3); names are
/// compared ASCII-case-insensitively, so each field caches its lowercased name.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One stored field: the name as sent, its lowercased form for lookup, and the value.
    private struct Field: Sendable, Equatable {
        /// The name as given.
        var name: String
        /// The name lowercased (ASCII), for lookup.
        var key: String
        /// The value.
        var value: String
    }

    private var fields: [Field] = []

    /// Creates an empty header list.
    public init() {}

    /// Creates headers from name/value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        fields.reserveCapacity(pairs.count)
        for (name, value) in pairs { add(name, value) }
    }

    /// Creates headers from a literal such as `["Content-Type": "text/plain"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of fields (repeated names count once each).
    public var count: Int { fields.count }

    /// The first value of the field named `name`, or nil.
    public subscript(name: String) -> String? {
        let key = Self.lowercased(name)
        return fields.first(where: { $0.key == key })?.value
    }

    /// All values of the field named `name`, in order.
    public func values(_ name: String) -> [String] {
        let key = Self.lowercased(name)
        return fields.compactMap { $0.key == key ? $0.value : nil }
    }

    /// Comma-separated tokens across all fields of that name, lowercased and trimmed (e.g. Connection, Upgrade).
    ///
    /// Empty list elements are skipped, as RFC 9110 §5.6.1 requires of recipients.
    public func tokens(_ name: String) -> [String] {
        var result: [String] = []
        for value in values(name) {
            for element in value.split(separator: ",", omittingEmptySubsequences: true) {
                let token = Self.lowercased(String(element.trimmingHTTPWhitespace()))
                if !token.isEmpty { result.append(token) }
            }
        }
        return result
    }

    /// Appends a field, keeping any existing fields of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, key: Self.lowercased(name), value: value))
    }

    /// Appends a field whose lowercased name the caller already has (the parser builds it from the bytes).
    mutating func add(_ name: String, key: String, _ value: String) {
        fields.append(Field(name: name, key: key, value: value))
    }

    /// All values for an already-lowercased name.
    func values(key: String) -> [String] {
        fields.compactMap { $0.key == key ? $0.value : nil }
    }

    /// Replaces the first field of that name (removing later ones), or appends it.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        let key = Self.lowercased(name)
        if let index = fields.firstIndex(where: { $0.key == key }) {
            fields[index] = Field(name: name, key: key, value: value)
            var seen = false
            fields.removeAll { field in
                guard field.key == key else { return false }
                defer { seen = true }
                return seen
            }
        } else {
            add(name, value)
        }
    }

    /// Removes every field of that name.
    public mutating func remove(_ name: String) {
        let key = Self.lowercased(name)
        fields.removeAll { $0.key == key }
    }

    /// True when at least one field has that name.
    public func contains(_ name: String) -> Bool {
        let key = Self.lowercased(name)
        return fields.contains { $0.key == key }
    }

    /// Iterates the fields in order as (name, value).
    public func makeIterator() -> AnyIterator<(name: String, value: String)> {
        var index = 0
        let fields = self.fields
        return AnyIterator {
            guard index < fields.count else { return nil }
            defer { index += 1 }
            return (fields[index].name, fields[index].value)
        }
    }

    /// The fields as "Name: value" lines, for logs and test failures.
    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// ASCII-only lowercasing: header names are tokens, and Unicode case rules must not apply.
    static func lowercased(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return text }
        var text = text
        return text.withUTF8 { HTTPSyntax.lowercasedString($0) }
    }
}

extension Substring {
    /// Drops leading and trailing SP and HTAB (RFC 9110 §5.6.3 OWS).
    func trimmingHTTPWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
