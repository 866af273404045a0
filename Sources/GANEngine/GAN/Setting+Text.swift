/// Reading a setting's value from text a person typed (command-line flags, `key=value` pairs), so every
/// front end parses and refuses values the same way, from the table.
extension Setting {
    /// The value `text` denotes for this setting's kind, validated: integers in decimal, numbers in any
    /// decimal or exponent form, booleans as true/false (also yes/no, on/off, 1/0), choices by name.
    /// Throws naming the key, the text as written and what is allowed; a number too large for a Double
    /// ("1e400") is out of range, and so is one too small ("1e-400" is 0 as a Double, reported as "1e-400").
    public func parse(_ text: String) throws(SettingError) -> SettingValue {
        let trimmed = text.trimmingWhitespace
        switch kind {
        case .integer:
            guard let value = Int(trimmed) else {
                if Double(trimmed) != nil { throw .outOfRange(key: key, value: trimmed, allowed: allowedDescription) }
                throw .wrongType(key: key, expected: kind.typeName)
            }
            return try validated(.integer(value), text: trimmed)
        case .number:
            guard let value = Double(trimmed), !value.isNaN else { throw .wrongType(key: key, expected: kind.typeName) }
            guard value.isFinite else { throw .outOfRange(key: key, value: trimmed, allowed: allowedDescription) }
            return try validated(.number(value), text: trimmed)
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "on", "1": return .boolean(true)
            case "false", "no", "off", "0": return .boolean(false)
            default: throw .wrongType(key: key, expected: kind.typeName)
            }
        case .choice:
            return try validated(.choice(trimmed))
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines (no Foundation in the engine).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
