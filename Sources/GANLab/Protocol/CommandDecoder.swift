import GANEngine

/// Turns a client's text message into a typed `Command` (docs/protocol.md §2.3), validating every field
/// before anything changes. The command names on the wire live here and nowhere else.
public struct CommandDecoder: Sendable {
    /// A decoded command and the client's `id` to echo.
    public struct Decoded: Sendable, Equatable {
        /// The client's id (a number or a string), if it sent one.
        public var id: JSON?
        /// The command's wire name.
        public var name: String
        /// The command.
        public var command: Command
    }

    /// A refused message: the error and what is known of the command, for the reply.
    public struct Refusal: Error, Sendable, Equatable {
        /// The client's id, when it could be read.
        public var id: JSON?
        /// The command's wire name, when it was a known command.
        public var name: String?
        /// Why.
        public var error: LabProtocolError

        /// The `error` reply.
        public var reply: JSON { error.reply(id: id, command: name) }
    }

    /// Every command's wire name, in the order of docs/protocol.md §2.3.
    public static let commandNames = ["auth", "subscribe", "play", "pause", "step", "reset", "configure", "data", "seed",
                                      "speed", "slowmo", "fork"]

    /// The wire name of a command.
    public static func name(of command: Command) -> String {
        switch command {
        case .auth: return "auth"
        case .subscribe: return "subscribe"
        case .play: return "play"
        case .pause: return "pause"
        case .step: return "step"
        case .reset: return "reset"
        case .configure: return "configure"
        case .data: return "data"
        case .seed: return "seed"
        case .speed: return "speed"
        case .slowMotion: return "slowmo"
        case .fork: return "fork"
        }
    }

    /// The wire name of a step kind.
    public static func name(of kind: StepKind) -> String {
        switch kind {
        case .epoch: return "epoch"
        case .discriminator: return "d"
        case .generator: return "g"
        }
    }

    /// The limits commands are checked against.
    public let configuration: LabConfiguration

    /// A decoder checking against `configuration`'s limits.
    public init(configuration: LabConfiguration) { self.configuration = configuration }

    /// Decodes one text message.
    public func decode(_ text: String) throws(Refusal) -> Decoded {
        let json: JSON
        do {
            json = try JSONReader.parse(Array(text.utf8))
        } catch {
            throw Refusal(id: nil, name: nil, error: .badJSON(error.description))
        }
        guard case .object(let object) = json else {
            throw Refusal(id: nil, name: nil, error: .badJSON("a command must be a JSON object, not \(json.kindDescription)"))
        }
        var id: JSON?
        switch object["id"] {
        case nil, .null?: id = nil
        case .number?, .string?: id = object["id"]
        case let other?:
            throw Refusal(id: nil, name: nil, error: .badField(field: "id", message: "id must be a number or a string, not \(other.kindDescription)."))
        }
        guard case .string(let name)? = object["type"] else {
            throw Refusal(id: id, name: nil, error: .unknownType(nil))
        }
        guard Self.commandNames.contains(name) else { throw Refusal(id: id, name: nil, error: .unknownType(name)) }
        do {
            return Decoded(id: id, name: name, command: try command(name, json))
        } catch {
            throw Refusal(id: id, name: name, error: error)
        }
    }

    private func command(_ name: String, _ json: JSON) throws(LabProtocolError) -> Command {
        let c = configuration
        func fields(_ names: Set<String>) throws(LabProtocolError) -> FieldReader {
            try FieldReader(json, allowed: names.union(["type", "id"]))
        }
        switch name {
        case "auth":
            let f = try fields(["token"])
            guard let token = try f.string("token") else { throw .badField(field: "token", message: "auth needs the run's token.") }
            return .auth(token: token)
        case "subscribe":
            let f = try fields(["fps", "layers"])
            let fps = try f.integer("fps", in: c.framesPerSecondRange) ?? c.defaultFramesPerSecond
            var layers = FrameLayers.defaultLayers
            if let list = try f.list("layers") {
                var names: [String] = []
                for (index, item) in list.enumerated() {
                    guard case .string(let layer) = item, FrameLayers(names: [layer]) != nil else {
                        throw .badField(field: "layers[\(index)]",
                                        message: "layers[\(index)] is not a layer: allowed \(FrameLayers.allNames.joined(separator: ", ")).")
                    }
                    names.append(layer)
                }
                layers = FrameLayers(names: names)!
            }
            return .subscribe(fps: fps, layers: layers)
        case "play": _ = try fields([]); return .play
        case "pause": _ = try fields([]); return .pause
        case "reset": _ = try fields([]); return .reset
        case "fork": _ = try fields([]); return .fork
        case "step":
            let f = try fields(["what", "count"])
            let kind: StepKind
            switch try f.string("what") ?? "epoch" {
            case "epoch": kind = .epoch
            case "d": kind = .discriminator
            case "g": kind = .generator
            case let other: throw .badField(field: "what", message: "what \"\(other)\" is not a step: allowed epoch, d, g.")
            }
            return .step(kind, count: try f.integer("count", in: 1...c.maxStepCount) ?? 1)
        case "configure":
            let f = try fields(["config"])
            guard let changes = try f.settings("config") else {
                throw .badField(field: "config", message: "configure needs config: an object of setting keys and values.")
            }
            return .configure(changes)
        case "data":
            let f = try fields(["preset", "defaults", "points", "weights", "jitter"])
            if let presetName = try f.string("preset") {
                guard !f.has("points") else { throw .badField(field: "points", message: "Send either a preset or points, not both.") }
                let preset = try Self.preset(presetName, field: "preset")
                let defaults: DefaultsChoice
                switch try f.string("defaults") ?? "lab" {
                case "keep": defaults = .keep
                case let profile:
                    guard let p = SettingsProfile(rawValue: profile) else {
                        throw .badField(field: "defaults", message: "defaults \"\(profile)\" is not allowed: allowed lab, reference, keep.")
                    }
                    defaults = .profile(p)
                }
                return .data(.preset(preset), defaults: defaults)
            }
            guard !f.has("defaults") else { throw .badField(field: "defaults", message: "defaults go with a preset.") }
            guard let drawing = try f.drawing(maxPoints: c.maxPoints) else {
                throw .badField(field: "preset", message: "data needs a preset or points.")
            }
            return .data(drawing, defaults: .keep)
        case "seed":
            let f = try fields(["seed"])
            guard let seed = try f.integer("seed", in: 0...Int(GANConfiguration.maximumSeed)) else {
                throw .badField(field: "seed", message: "seed needs a seed: an integer 0…\(GANConfiguration.maximumSeed).")
            }
            return .seed(UInt64(seed))
        case "speed":
            let f = try fields(["epochsPerSecond"])
            if case .string(let text)? = f.present("epochsPerSecond") {
                guard text == "max" else {
                    throw .badField(field: "epochsPerSecond", message: "epochsPerSecond must be a number or \"max\".")
                }
                return .speed(.max)
            }
            guard let rate = try f.number("epochsPerSecond", in: c.epochsPerSecondRange) else {
                throw .badField(field: "epochsPerSecond", message: "speed needs epochsPerSecond: a number or \"max\".")
            }
            return .speed(.epochsPerSecond(rate))
        case "slowmo":
            let f = try fields(["on", "secondsPerStep"])
            guard let isOn = try f.bool("on") else { throw .badField(field: "on", message: "slowmo needs on: true or false.") }
            return .slowMotion(isOn: isOn, secondsPerStep: try f.number("secondsPerStep", in: c.secondsPerStepRange) ?? c.defaultSecondsPerStep)
        default:
            throw .unknownType(name)
        }
    }

    /// A preset by its wire name.
    static func preset(_ name: String, field: String) throws(LabProtocolError) -> Preset {
        guard let preset = Preset(rawValue: name) else {
            throw .badField(field: field, message: "\(field) \"\(name)\" is not a preset: allowed \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return preset
    }
}
