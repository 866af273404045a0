/// The decoded `:name` values of a matched route.
public struct RouteParameters: Sendable, Equatable {
    private let values: [String: String]

    /// Wraps decoded values by name.
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The value captured for `name`, or nil.
    public subscript(name: String) -> String? { values[name] }
}
