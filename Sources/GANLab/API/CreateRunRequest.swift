import GANEngine

/// The body of `POST /api/runs` (docs/protocol.md §1, "Create"): every key optional, unknown keys refused.
public struct CreateRunRequest: Sendable, Equatable {
    /// The run to build.
    public var blueprint: RunBlueprint
    /// `pretrained`: start from that preset's pretrained run (needs a `RunTemplates` source).
    public var pretrained: Preset?
    /// `share`: a share-link blob (needs a `RunTemplates` source).
    public var share: String?
    /// The body's own `playing`, nil when it has none (a pretrained run then stays paused).
    public var playingAsked: Bool?
    /// The body's own `speed`, nil when it has none (a pretrained run then keeps its saved pace).
    public var speedAsked: RunSpeed?

    /// Keys the body may have, in the order errors name them.
    static let orderedKeys = ["preset", "defaults", "config", "seed", "points", "weights", "jitter", "speed", "playing", "pretrained", "share"]
    /// Keys the body may have.
    static let keys = Set(orderedKeys)
    /// The keys that may go with `share` or `pretrained`: how the new run plays. The link or the pretrained run says
    /// everything else (data, settings, seed), so another key would be silently ignored: it is refused instead.
    static let keysBesideATemplate: Set<String> = ["speed", "playing"]

    /// Reads a body (empty means all defaults). Errors name the field and its range.
    public init(body: [UInt8], configuration c: LabConfiguration) throws(LabProtocolError) {
        var blueprint = RunBlueprint(configuration: c)
        guard body.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            self.blueprint = blueprint
            return
        }
        let json: JSON
        do { json = try JSONReader.parse(body) } catch { throw .badJSON(error.description) }
        let f = try FieldReader(json, allowed: Self.keys, what: "the body")
        try Self.refuseConflicts(f)
        if let name = try f.string("preset") {
            guard !f.has("points") else { throw .badField(field: "points", message: "Send either a preset or points, not both.") }
            blueprint.data = .preset(try CommandDecoder.preset(name, field: "preset"))
        } else if let drawing = try f.drawing(maxPoints: c.maxPoints) {
            blueprint.data = drawing
        }
        if let name = try f.string("defaults") {
            guard let profile = SettingsProfile(rawValue: name) else {
                throw .badField(field: "defaults", message: "defaults \"\(name)\" is not allowed: allowed lab, reference.")
            }
            blueprint.defaults = profile
        }
        if let seed = try f.integer("seed", in: 0...Int(GANConfiguration.maximumSeed)) { blueprint.seed = UInt64(seed) }
        if let overrides = try f.settings("config") { blueprint.overrides = overrides }
        if case .string(let text)? = f.present("speed") {
            guard text == "max" else { throw .badField(field: "speed", message: "speed must be a number or \"max\".") }
            speedAsked = .max
        } else if let rate = try f.number("speed", in: c.epochsPerSecondRange) {
            speedAsked = .epochsPerSecond(rate)
        }
        if let speedAsked { blueprint.speed = speedAsked }
        playingAsked = try f.bool("playing")
        if let playingAsked { blueprint.isPlaying = playingAsked }
        pretrained = try f.string("pretrained").map { name throws(LabProtocolError) in try CommandDecoder.preset(name, field: "pretrained") }
        share = try f.string("share")
        self.blueprint = blueprint
        _ = try blueprint.makeConfiguration()  // every override checked now: 400 naming the field
    }

    /// `share` and `pretrained` bring their own data, settings and seed (and each other's place): a body that also
    /// sends one of those gets 400 naming them, instead of a run that silently ignores them.
    private static func refuseConflicts(_ f: FieldReader) throws(LabProtocolError) {
        guard let template = ["share", "pretrained"].first(where: f.has) else { return }
        let others = orderedKeys.filter { f.has($0) && $0 != template && !keysBesideATemplate.contains($0) }
        guard let first = others.first else { return }
        let source = template == "share" ? "A share link carries its own data, settings and seed"
                                         : "A pretrained run has its own data, settings, seed and weights"
        throw .badField(field: first, message: "\(source): \(template) cannot be combined with \(others.joined(separator: ", ")). "
            + "Only speed and playing may go with it.")
    }
}

/// Where runs that do not start from scratch come from (the persistence side plugs this in): pretrained runs
/// and share links.
public protocol RunTemplates: Sendable {
    /// The pretrained run of `preset`, at its trained epoch; nil when there is none.
    func pretrainedRecord(for preset: Preset) -> RunRecord?
    /// The blueprint a share-link blob encodes; throws `bad-field` (field "share") naming what is wrong.
    func blueprint(fromShare blob: String, configuration: LabConfiguration) throws(LabProtocolError) -> RunBlueprint
    /// The presets that have a pretrained run (`pretrained` in `hello.presets` and `GET /api/presets`).
    var pretrainedPresets: Set<Preset> { get }
}

extension RunTemplates {
    /// None by default.
    public var pretrainedPresets: Set<Preset> { [] }
}
