#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GANEngine

/// A run described by a JSON file: optionally a preset and a defaults profile, then any settings of the
/// settings table (`GANConfiguration.settings`), each at its key's JSON path.
///
/// Everything about the settings comes from the table: the keys a file may hold, their types, ranges
/// and choices, and the messages. So a setting added to the table is readable and writable here with no
/// change. A key "generator.learningRate" is written `{"generator": {"learningRate": 0.03}}`:
/// ```json
/// { "preset": "ring", "defaults": "lab", "seed": 1, "loss": "non-saturating", "batchSize": 150,
///   "generator": { "hiddenLayers": 2, "neurons": 8, "optimizer": "adam", "learningRate": 0.001 },
///   "noise": { "kind": "gaussian", "dimension": 2 }, "views": { "decisionResolution": 64 } }
/// ```
/// Refused, each with one line naming the file and the key: unknown keys, duplicate keys, wrong JSON
/// types, out-of-range or non-finite numbers (`1e400`), unknown names, unreadable files and directories.
public struct RunConfigurationFile: Sendable, Equatable {
    /// Keys that are not settings: the data preset and which per-preset defaults to start from.
    public static let extraKeys = ["preset", "defaults"]
    /// Largest file read (a configuration file is a few hundred bytes).
    public static let maximumBytes = 1 << 20

    /// The file's name for messages (nil for data given directly).
    public var source: String?
    /// The preset named in the file, if any.
    public var preset: Preset?
    /// The defaults profile named in the file ("lab" or "reference"), if any.
    public var profile: SettingsProfile?
    /// The settings the file gives, by table key, checked against their kinds and ranges.
    public var settings: [String: SettingValue]

    /// Reads and parses the file at `path`; errors name the file.
    public init(contentsOf path: String) throws(RunConfigurationError) {
        try self.init(bytes: try Self.read(path), source: path)
    }

    /// Parses JSON `data`; `source` names it in messages.
    public init(data: Data, source: String? = nil) throws(RunConfigurationError) {
        try self.init(bytes: [UInt8](data), source: source)
    }

    /// Parses JSON bytes; `source` names them in messages.
    public init(bytes: [UInt8], source: String?) throws(RunConfigurationError) {
        self.source = source
        let root: JSONValue
        do {
            root = try StrictJSONParser.parse(bytes)
        } catch {
            if let key = error.duplicateKey { throw .duplicateKey(file: source, key: key) }
            throw .malformed(file: source, line: error.line, column: error.column, reason: error.reason)
        }
        guard case .object(let members) = root else {
            throw .wrongType(file: source, key: "the file", expected: "a JSON object")
        }
        settings = [:]
        for (key, value) in members {
            switch key {
            case "preset":
                guard case .string(let name) = value else { throw .wrongType(file: source, key: key, expected: "a string") }
                guard let p = Preset(rawValue: name) else {
                    throw .badValue(file: source, key: key, value: name, allowed: Preset.allCases.map(\.rawValue).joined(separator: ", "))
                }
                preset = p
            case "defaults":
                guard case .string(let name) = value else { throw .wrongType(file: source, key: key, expected: "a string") }
                guard let p = SettingsProfile(rawValue: name) else {
                    throw .badValue(file: source, key: key, value: name,
                                    allowed: SettingsProfile.allCases.map(\.rawValue).joined(separator: ", "))
                }
                profile = p
            default:
                try read(key, value, prefix: "")
            }
        }
    }

    /// Reads one member at `prefix`: a setting's value, or an object holding settings further down.
    private mutating func read(_ name: String, _ value: JSONValue, prefix: String) throws(RunConfigurationError) {
        let key = prefix + name
        if let setting = GANConfiguration.settingsByKey[key] {
            settings[key] = try Self.settingValue(value, for: setting, file: source)
            return
        }
        guard Self.objectKeys.contains(key) else {
            throw .unknownKey(file: source, key: key, allowed: Self.allowedNames(under: prefix))
        }
        guard case .object(let members) = value else { throw .wrongType(file: source, key: key, expected: "an object") }
        for (inner, innerValue) in members { try read(inner, innerValue, prefix: key + ".") }
    }

    /// A JSON value as a setting's value, checked against the table (type, range, choices).
    static func settingValue(_ value: JSONValue, for setting: Setting, file: String?) throws(RunConfigurationError) -> SettingValue {
        let candidate: SettingValue
        var written: String?  // a number as the file wrote it, for messages ("1e-400" reads as 0)
        switch (setting.kind, value) {
        case (.integer, .number(let d, let text)):
            guard d.isFinite else {
                throw .invalidSetting(file: file, .outOfRange(key: setting.key, value: text, allowed: setting.allowedDescription))
            }
            guard d == d.rounded() else { throw .invalidSetting(file: file, .wrongType(key: setting.key, expected: "integer")) }
            guard abs(d) <= 9_007_199_254_740_992 else {
                throw .invalidSetting(file: file, .outOfRange(key: setting.key, value: text, allowed: setting.allowedDescription))
            }
            candidate = .integer(Int(d))
            written = text
        case (.number, .number(let d, let text)):
            guard d.isFinite else {
                throw .invalidSetting(file: file, .outOfRange(key: setting.key, value: text, allowed: setting.allowedDescription))
            }
            candidate = .number(d)
            written = text
        case (.boolean, .bool(let b)):
            candidate = .boolean(b)
        case (.choice, .string(let name)):
            candidate = .choice(name)
        default:
            throw .invalidSetting(file: file, .wrongType(key: setting.key, expected: setting.kind.typeName))
        }
        do {
            return try setting.validated(candidate, text: written)
        } catch {
            throw .invalidSetting(file: file, error)
        }
    }

    /// Dotted prefixes of the table's keys ("generator", "noise", "views", ...): the objects a file may hold.
    static let objectKeys: Set<String> = {
        var result = Set<String>()
        for setting in GANConfiguration.settings {
            var parts = setting.key.split(separator: ".").map(String.init)
            parts.removeLast()
            while !parts.isEmpty {
                result.insert(parts.joined(separator: "."))
                parts.removeLast()
            }
        }
        return result
    }()

    /// The names a file may use directly under `prefix` ("" for the top level), sorted.
    static func allowedNames(under prefix: String) -> String {
        var names = Set<String>(prefix.isEmpty ? extraKeys : [])
        for setting in GANConfiguration.settings where setting.key.hasPrefix(prefix) {
            let rest = setting.key.dropFirst(prefix.count)
            names.insert(String(rest.split(separator: ".").first ?? rest))
        }
        return names.sorted().joined(separator: ", ")
    }

    /// Writes the file's settings over `configuration`, all or nothing (the table's `apply`, which also checks
    /// the rules between settings). Errors name the file and the key.
    public func apply(to configuration: inout GANConfiguration) throws(RunConfigurationError) {
        do {
            try configuration.apply(settings)
        } catch {
            throw .invalidSetting(file: source, error)
        }
    }

    /// The file's bytes, refusing directories, special files that never end and anything over `maximumBytes`.
    static func read(_ path: String) throws(RunConfigurationError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        if status.st_mode & S_IFMT == S_IFDIR { throw .unreadable(path: path, reason: "it is a directory, not a file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)).lowercased())
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > maximumBytes {
                throw .unreadable(path: path, reason: "larger than \(maximumBytes / 1024) KiB; a configuration file is a small JSON object")
            }
        }
        return bytes
    }
}
