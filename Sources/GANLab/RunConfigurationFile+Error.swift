import GANEngine

/// Why a run-configuration file was refused: one line naming the file, the key and what is allowed.
public enum RunConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be read (missing, a directory, no permission, too large).
    case unreadable(path: String, reason: String)
    /// The bytes are not JSON; line and column of the first problem.
    case malformed(file: String?, line: Int, column: Int, reason: String)
    /// A key given twice in one object (the second must not silently win or lose).
    case duplicateKey(file: String?, key: String)
    /// A key the format does not know (a typo), with the keys allowed at that level.
    case unknownKey(file: String?, key: String, allowed: String)
    /// A value of the wrong JSON kind for its key.
    case wrongType(file: String?, key: String, expected: String)
    /// A value the settings table refuses (out of range, not a choice, a rule between settings).
    case invalidSetting(file: String?, SettingError)
    /// A name outside its list (the preset, the defaults profile).
    case badValue(file: String?, key: String, value: String, allowed: String)

    /// "run.json: generator.neurons 300 is out of range: allowed 1...256".
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read configuration file \(path): \(reason)"
        case .malformed(let file, let line, let column, let reason):
            return "\(Self.prefix(file))line \(line), column \(column): not valid JSON: \(reason)"
        case .duplicateKey(let file, let key):
            return "\(Self.prefix(file))key \"\(key)\" appears twice; give each key once"
        case .unknownKey(let file, let key, let allowed):
            return "\(Self.prefix(file))unknown key \"\(key)\"; allowed here: \(allowed)"
        case .wrongType(let file, let key, let expected):
            return "\(Self.prefix(file))\(key) must be \(expected)"
        case .invalidSetting(let file, let error):
            return "\(Self.prefix(file))\(error)"
        case .badValue(let file, let key, let value, let allowed):
            return "\(Self.prefix(file))\(key) \"\(value)\" is not allowed: allowed \(allowed)"
        }
    }

    private static func prefix(_ file: String?) -> String { file.map { $0 + ": " } ?? "configuration: " }
}
