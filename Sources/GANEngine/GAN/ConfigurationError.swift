/// A configuration value outside its allowed range; the message names the field and the range.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The field's path as a person writes it, e.g. "generator.neurons".
    public var field: String
    /// The rejected value, printed.
    public var value: String
    /// The allowed values, e.g. "1...256".
    public var allowed: String

    /// An error for `field` = `value`, allowed `allowed`.
    public init(field: String, value: String, allowed: String) {
        self.field = field
        self.value = value
        self.allowed = allowed
    }

    /// "generator.neurons = 300 is out of range; allowed: 1...256".
    public var description: String { "\(field) = \(value) is out of range; allowed: \(allowed)" }
}
