/// One engine setting described once: its key, type, range, default, effect and help. The table of them
/// (`GANConfiguration.settings`) is what validation, run-configuration files, the `train` flags, the lab's
/// `configure` command and the page's controls all read, so adding a setting is one entry there.
///
/// A key is the setting's JSON path in a run-configuration file: "generator.learningRate" is
/// `{"generator": {"learningRate": …}}` (docs/protocol.md §4).
public struct Setting: Sendable {
    /// What values the setting takes.
    public enum Kind: Sendable, Equatable {
        /// Whole numbers in a closed range.
        case integer(ClosedRange<Int>)
        /// Real numbers in a closed range; `isLogarithmic` when a control should move in log steps.
        case number(ClosedRange<Double>, isLogarithmic: Bool)
        /// true or false.
        case boolean
        /// One of these names.
        case choice([String])
    }

    /// When a change takes effect.
    public enum Effect: String, Sendable, Equatable {
        /// Applied between steps; the weights are kept.
        case live
        /// Needs new networks: both are rebuilt from the seed and the epoch restarts at 0.
        case rebuild
    }

    /// Where a control belongs on the page.
    public enum Group: String, Sendable, Equatable, CaseIterable {
        case generator, discriminator, training, noise, views, stabilizers
    }

    /// The setting matters only while setting `key` has one of `values` (e.g. momentum only for the momentum rule).
    public struct Condition: Sendable, Equatable {
        /// The key of the setting this one depends on.
        public var key: String
        /// The values of that setting for which this one applies.
        public var values: [SettingValue]
    }

    /// JSON path, e.g. "generator.learningRate".
    public let key: String
    /// Short human label, e.g. "Learning rate".
    public let label: String
    /// The page group.
    public let group: Group
    /// Type and range.
    public let kind: Kind
    /// Live or rebuild.
    public let effect: Effect
    /// One sentence for a tooltip or `--help`.
    public let help: String
    /// When the setting applies (nil: always).
    public let condition: Condition?
    let read: @Sendable (GANConfiguration) -> SettingValue
    let write: @Sendable (inout GANConfiguration, SettingValue) -> Void

    /// This setting's value in `configuration` (what files and the protocol write).
    public func value(in configuration: GANConfiguration) -> SettingValue { read(configuration) }

    /// The value in a fresh default configuration.
    public var defaultValue: SettingValue { read(GANConfiguration()) }

    /// The range or choices as a person reads them ("1...256", "relu, leaky-relu, tanh", "true or false").
    public var allowedDescription: String {
        switch kind {
        case .integer(let range): return "\(range.lowerBound)...\(range.upperBound)"
        case .number(let range, _): return "\(Self.shortest(range.lowerBound))...\(Self.shortest(range.upperBound))"
        case .boolean: return "true or false"
        case .choice(let names): return names.joined(separator: ", ")
        }
    }

    /// Checks `value` against the kind: the type must match (an integer is accepted for a number) and
    /// the value must lie in the range. Throws naming the key and what is allowed, and the value as `text`
    /// when given: the text a person wrote ("1e-400", which a Double holds as 0), else the value itself.
    public func validated(_ value: SettingValue, text: String? = nil) throws(SettingError) -> SettingValue {
        switch (kind, value) {
        case (.integer(let range), .integer(let v)):
            guard range.contains(v) else { throw .outOfRange(key: key, value: text ?? value.description, allowed: allowedDescription) }
            return value
        case (.number(let range, _), .number(let v)):
            guard v.isFinite else { throw .notFinite(key: key) }
            guard range.contains(v) else { throw .outOfRange(key: key, value: text ?? value.description, allowed: allowedDescription) }
            return value
        case (.number, .integer(let v)):
            return try validated(.number(Double(v)), text: text ?? value.description)
        case (.boolean, .boolean):
            return value
        case (.choice(let names), .choice(let name)):
            guard names.contains(name) else { throw .unknownChoice(key: key, value: name, allowed: allowedDescription) }
            return value
        default:
            throw .wrongType(key: key, expected: kind.typeName)
        }
    }

    /// "0.001" rather than "0.0010000000474974513" for bounds that came from Float limits, and "10"
    /// rather than "10.0" for whole numbers.
    static func shortest(_ x: Double) -> String {
        let f = Float(x)
        let text = Double(f) == x ? "\(f)" : "\(x)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

extension Setting.Kind {
    /// "integer", "number", "boolean" or "choice" (the protocol's `type`).
    public var typeName: String {
        switch self {
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .choice: return "choice"
        }
    }
}

/// A setting's value, as JSON carries it.
public enum SettingValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case choice(String)

    /// The value as a person writes it.
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .number(let v): return Setting.shortest(v)
        case .boolean(let v): return v ? "true" : "false"
        case .choice(let v): return v
        }
    }
}

/// Why a setting's value was refused; every case names the key.
public enum SettingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No setting has this key.
    case unknownKey(String)
    /// A value of the wrong type (a string for a number, ...).
    case wrongType(key: String, expected: String)
    /// NaN or infinity.
    case notFinite(key: String)
    /// A number outside its range.
    case outOfRange(key: String, value: String, allowed: String)
    /// A name not among the choices.
    case unknownChoice(key: String, value: String, allowed: String)
    /// A rule between settings (e.g. batch norm only in the generator).
    case invalidCombination(key: String, reason: String)

    /// The key the error is about.
    public var key: String {
        switch self {
        case .unknownKey(let k): return k
        case .wrongType(let k, _), .notFinite(let k), .outOfRange(let k, _, _), .unknownChoice(let k, _, _),
             .invalidCombination(let k, _): return k
        }
    }

    /// One sentence naming the key and what is allowed.
    public var description: String {
        switch self {
        case .unknownKey(let k): return "unknown setting \"\(k)\""
        case .wrongType(let k, let expected): return "\(k) must be \(expected == "integer" ? "an integer" : expected == "choice" ? "a name" : "a \(expected)")"
        case .notFinite(let k): return "\(k) must be a finite number"
        case .outOfRange(let k, let v, let allowed): return "\(k) \(v) is out of range: allowed \(allowed)"
        case .unknownChoice(let k, let v, let allowed): return "\(k) \"\(v)\" is not allowed: allowed \(allowed)"
        case .invalidCombination(let k, let reason): return "\(k): \(reason)"
        }
    }
}
