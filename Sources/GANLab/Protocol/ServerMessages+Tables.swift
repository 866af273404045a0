import GANEngine

extension ServerMessages {
    /// One setting as docs/protocol.md §4 describes it.
    static func setting(_ s: Setting) -> JSON {
        var o: JSONObject = ["key": .string(s.key), "label": .string(s.label), "group": .string(s.group.rawValue),
                             "type": .string(s.kind.typeName)]
        switch s.kind {
        case .integer(let range):
            o["min"] = .int(range.lowerBound)
            o["max"] = .int(range.upperBound)
        case .number(let range, let isLogarithmic):
            o["min"] = .number(range.lowerBound)
            o["max"] = .number(range.upperBound)
            o["scale"] = isLogarithmic ? "log" : "linear"
        case .boolean:
            break
        case .choice(let names):
            o["choices"] = .array(names.map(JSON.string))
        }
        o["default"] = value(s.defaultValue)
        o["effect"] = .string(s.effect.rawValue)
        o["help"] = .string(s.help)
        if let condition = s.condition {
            o["when"] = .object(["key": .string(condition.key), "values": .array(condition.values.map(value))])
        }
        return .object(o)
    }

    /// The settings table (`hello.settings`, `GET /api/settings`).
    public static var settingsTable: JSON { .array(GANConfiguration.settings.map(setting)) }

    /// A setting's value as JSON.
    static func value(_ v: SettingValue) -> JSON {
        switch v {
        case .integer(let i): return .int(i)
        case .number(let d): return .number(d)
        case .boolean(let b): return .bool(b)
        case .choice(let c): return .string(c)
        }
    }

    /// Every setting's value in table order (`state.config`, the summary's `config`).
    static func config(_ configuration: GANConfiguration) -> JSON {
        let values = configuration.settingValues
        return .object(JSONObject(GANConfiguration.settings.map { (key: $0.key, value: value(values[$0.key]!)) }))
    }

    /// The presets list; `samples` (preset name → flat x, y) adds `sample` for `GET /api/presets`.
    static func presets(samples: [String: [Float]]? = nil, pretrained: Set<String> = []) -> JSON {
        .array(Preset.allCases.map { preset in
            var o: JSONObject = ["name": .string(preset.rawValue), "title": .string(preset.title),
                                 "modes": .int(preset.makeDistribution().modes.count),
                                 "pretrained": .bool(pretrained.contains(preset.rawValue))]
            if let sample = samples?[preset.rawValue] { o["sample"] = .array(sample.map { .float(rounded($0)) }) }
            return .object(o)
        })
    }

    /// A coordinate rounded to 4 decimals (plenty for a thumbnail or a 1000-pixel canvas; smaller messages).
    static func rounded(_ v: Float) -> Float { (v * 10_000).rounded() / 10_000 }
}
