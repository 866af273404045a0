/// Which optional sections a client wants in its frames (docs/protocol.md §3.3). Metrics are always sent.
/// A set is one `UInt16`, so a run can key its "one encoding per distinct layer set" cache by it.
public struct FrameLayers: OptionSet, Sendable, Hashable {
    /// One bit per layer.
    public let rawValue: UInt16
    /// A set from its bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The shown fakes (section 1).
    public static let fakes = FrameLayers(rawValue: 1 << 0)
    /// −∇ℓ_G at the fakes (section 2).
    public static let arrows = FrameLayers(rawValue: 1 << 1)
    /// ∇D at the fakes (section 3).
    public static let dgrad = FrameLayers(rawValue: 1 << 2)
    /// The decision field (section 4).
    public static let field = FrameLayers(rawValue: 1 << 3)
    /// −∇ℓ_G on the coarse grid (section 5).
    public static let grid = FrameLayers(rawValue: 1 << 4)
    /// ∇D on the coarse grid (section 6).
    public static let gridDgrad = FrameLayers(rawValue: 1 << 5)
    /// The generator manifold (section 7).
    public static let manifold = FrameLayers(rawValue: 1 << 6)
    /// Per-mode coverage (section 9).
    public static let modes = FrameLayers(rawValue: 1 << 7)
    /// D's probability at the fakes and the shown real samples (section 10).
    public static let predictions = FrameLayers(rawValue: 1 << 8)

    /// The layers a new connection gets (§3.3).
    public static let defaultLayers: FrameLayers = [.fakes, .arrows, .field, .modes]

    /// Every layer with its wire name, in the order of §3.3.
    public static let named: [(name: String, layer: FrameLayers)] = [
        ("fakes", .fakes), ("arrows", .arrows), ("dgrad", .dgrad), ("field", .field), ("grid", .grid),
        ("gridDgrad", .gridDgrad), ("manifold", .manifold), ("modes", .modes), ("predictions", .predictions),
    ]

    /// Every layer name.
    public static var allNames: [String] { named.map(\.name) }

    /// The set named by `names`; nil when one is unknown (the caller reports which).
    public init?(names: [String]) {
        var set = FrameLayers()
        for name in names {
            guard let layer = Self.named.first(where: { $0.name == name })?.layer else { return nil }
            set.insert(layer)
        }
        self = set
    }

    /// The layer names in §3.3 order.
    public var names: [String] { Self.named.filter { contains($0.layer) }.map(\.name) }
}
