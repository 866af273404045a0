import Foundation
import GANEngine

/// The server's JSON messages (docs/protocol.md §2.2) and the run summary (§1), built from typed values.
/// Field names and order are those of the tables there.
public enum ServerMessages {
    /// The protocol version in `hello` and every frame.
    public static let protocolVersion = 1
    /// The `history` columns, in order.
    public static let historyColumns = ["epoch", "dLoss", "gLoss", "gGradNorm", "klRealFake", "klFakeReal", "js", "jsFloor",
                                        "modesMissed", "klRealFakeFloor", "klFakeRealFloor"]

    /// `hello` without the code (the same for every run of a lab; `hello(code:template:)` completes it).
    public static func helloTemplate(configuration c: LabConfiguration, pretrained: Set<String> = [],
                                     joinOrigins: JoinOrigins = JoinOrigins(origins: [], isLoopbackOnly: false)) -> JSONObject {
        let limits: JSONObject = [
            "maxPoints": .int(c.maxPoints), "maxStepCount": .int(c.maxStepCount),
            "fps": [.int(c.framesPerSecondRange.lowerBound), .int(c.framesPerSecondRange.upperBound)],
            "epochsPerSecond": [.number(c.epochsPerSecondRange.lowerBound), .number(c.epochsPerSecondRange.upperBound)],
            "jitter": [.float(DrawnDistribution.jitterRange.lowerBound), .float(DrawnDistribution.jitterRange.upperBound)],
            "secondsPerStep": [.number(c.secondsPerStepRange.lowerBound), .number(c.secondsPerStepRange.upperBound)],
            "commandsPerSecond": .number(c.commandsPerSecond), "maxMessageBytes": .int(c.maxMessageBytes),
            "seed": [0, .number(Double(GANConfiguration.maximumSeed))],
        ]
        return ["type": "hello", "protocol": .int(protocolVersion), "code": "", "role": "viewer",
                "settings": settingsTable, "presets": presets(pretrained: pretrained),
                "layers": .array(FrameLayers.allNames.map(JSON.string)),
                "defaultLayers": .array(FrameLayers.defaultLayers.names.map(JSON.string)),
                "limits": .object(limits), "slowmoSteps": .array(SlowMotionStep.allCases.map { .string($0.name) }),
                "joinOrigins": .array(joinOrigins.origins.map(JSON.string)), "loopbackOnly": .bool(joinOrigins.isLoopbackOnly)]
    }

    /// `hello` for one run.
    public static func hello(code: RunCode, template: JSONObject) -> JSON {
        var o = template
        o["code"] = .string(code.text)
        return .object(o)
    }

    /// The wire name of a play state.
    static func stateName(_ s: RunRecord.PlayState) -> String { s.rawValue }

    /// `speed` as the protocol writes it: a number or "max".
    static func speed(_ s: RunSpeed) -> JSON {
        if case .epochsPerSecond(let r) = s { return .number(r) }
        return "max"
    }

    /// DATA_SUMMARY.
    static func dataSummary(_ data: RunData) -> JSON {
        switch data {
        case .preset(let p): return ["kind": "preset", "preset": .string(p.rawValue), "title": .string(p.title)]
        case .points(let c, _, let jitter): return ["kind": "points", "pointCount": .int(c.count / 2), "jitter": .float(jitter)]
        }
    }

    /// A metrics row as an object (the summary's `metrics`).
    static func metrics(_ row: MetricsRow?) -> JSON {
        guard let row else { return .null }
        return .object(JSONObject(zip(historyColumns, cells(row)).map { (key: $0.0, value: $0.1) }))
    }

    /// A row's cells in column order (NaN → null on output).
    static func cells(_ r: MetricsRow) -> [JSON] {
        [.int(r.epoch), .float(r.discriminatorLoss), .float(r.generatorLoss), .float(r.generatorGradientNorm),
         .float(r.klRealFake), .float(r.klFakeReal), .float(r.js), .float(r.jsFloor), .float(r.modesMissed),
         .float(r.klRealFakeFloor), .float(r.klFakeRealFloor)]
    }

    /// `state` for one connection's role.
    public static func state(_ s: RunStatus, role: RunRole) -> JSON {
        ["type": "state", "code": .string(s.code.text), "role": .string(role.rawValue), "state": .string(stateName(s.playState)),
         "slowmo": .bool(s.isSlowMotion), "secondsPerStep": .number(s.secondsPerStep), "error": .optional(s.failure),
         "epoch": .int(s.epoch), "generation": .int(s.generation), "seed": .number(Double(s.configuration.seed)),
         "speed": speed(s.speed), "defaults": .string(s.defaults.rawValue), "config": config(s.configuration),
         "data": dataSummary(s.data), "viewers": .int(s.viewers), "queued": .int(s.outstandingSteps),
         "forkedFrom": .optional(s.forkedFrom?.text)]
    }

    /// SUMMARY: the body of `GET /api/runs/{code}` and the `run` of a create answer.
    public static func summary(_ s: RunStatus) -> JSON {
        ["code": .string(s.code.text), "state": .string(stateName(s.playState)), "error": .optional(s.failure),
         "epoch": .int(s.epoch), "generation": .int(s.generation), "seed": .number(Double(s.configuration.seed)),
         "speed": speed(s.speed), "slowmo": .bool(s.isSlowMotion), "defaults": .string(s.defaults.rawValue),
         "data": dataSummary(s.data), "config": config(s.configuration), "viewers": .int(s.viewers),
         "metrics": metrics(s.metrics), "createdAt": .string(ISO8601.string(s.createdAt)),
         "updatedAt": .string(ISO8601.string(s.updatedAt)), "forkedFrom": .optional(s.forkedFrom?.text)]
    }

    /// `data`: what is drawn behind the frames (real samples, the drawing, modes, the noise thumbnail).
    public static func data(generation: Int, data: RunData, real: [Float], modes: [DistributionMode],
                            noise: NoiseDistribution, shownNoise: [Float]) -> JSON {
        var points: JSON = .null, weights: JSON = .null, jitter: JSON = .null
        if case .points(let c, let w, let j) = data {
            points = .array(c.map { .float($0) })
            weights = w.map { .array($0.map { JSON.float($0) }) } ?? .null
            jitter = .float(j)
        }
        return ["type": "data", "generation": .int(generation), "kind": .string(data.preset == nil ? "points" : "preset"),
                "preset": .optional(data.preset?.rawValue), "title": .string(data.preset?.title ?? "Your drawing"),
                "real": .array(real.map { .float(rounded($0)) }), "points": points, "weights": weights, "jitter": jitter,
                "modes": .array(modes.map { ["x": .float($0.center.x), "y": .float($0.center.y), "radius": .float($0.radius)] }),
                "noise": ["kind": .string(noise.kind.rawValue), "dimension": .int(noise.dimension),
                          "shown": .array(shownNoise.map { .float(rounded($0)) })]]
    }

    /// `history`: at most `historyMessageRows` rows.
    public static func history(generation: Int, rows: [MetricsRow]) -> JSON {
        ["type": "history", "generation": .int(generation), "columns": .array(historyColumns.map(JSON.string)),
         "rows": .array(rows.map { .array(cells($0)) })]
    }

    /// `ack` of a command, with what it changed.
    public static func ack(id: JSON?, command: String, _ fields: JSONObject = [:]) -> JSON {
        var o: JSONObject = ["type": "ack", "id": id ?? .null, "command": .string(command)]
        for pair in fields.pairs { o[pair.key] = pair.value }
        return .object(o)
    }
}
