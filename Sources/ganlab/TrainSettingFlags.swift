import ArgumentParser
import GANEngine

/// The `train` command's setting flags, read from the settings table: every setting can be given as
/// `--set KEY=VALUE`, and the common ones have short names (`--d-lr`). Types, ranges, choices, help
/// texts and error messages all come from `GANConfiguration.settings`, so a new table entry is a new
/// flag value with no change here.
enum TrainSettingFlags {
    /// A short flag for one or more table keys (`--activation` sets both networks' activation).
    struct Alias {
        /// The flag as typed, e.g. "--d-lr".
        var flag: String
        /// The keys it sets.
        var keys: [String]
    }

    /// The short flags, in `--help` order.
    static let aliases: [Alias] = [
        Alias(flag: "--seed", keys: ["seed"]),
        Alias(flag: "--loss", keys: ["loss"]),
        Alias(flag: "--batch-size", keys: ["batchSize"]),
        Alias(flag: "--d-steps", keys: ["discriminatorSteps"]),
        Alias(flag: "--g-steps", keys: ["generatorSteps"]),
        Alias(flag: "--d-lr", keys: ["discriminator.learningRate"]),
        Alias(flag: "--g-lr", keys: ["generator.learningRate"]),
        Alias(flag: "--d-optimizer", keys: ["discriminator.optimizer"]),
        Alias(flag: "--g-optimizer", keys: ["generator.optimizer"]),
        Alias(flag: "--d-layers", keys: ["discriminator.hiddenLayers"]),
        Alias(flag: "--g-layers", keys: ["generator.hiddenLayers"]),
        Alias(flag: "--d-neurons", keys: ["discriminator.neurons"]),
        Alias(flag: "--g-neurons", keys: ["generator.neurons"]),
        Alias(flag: "--activation", keys: ["generator.activation", "discriminator.activation"]),
        Alias(flag: "--noise", keys: ["noise.kind"]),
        Alias(flag: "--noise-dim", keys: ["noise.dimension"]),
        Alias(flag: "--label-smoothing", keys: ["labelSmoothing"]),
        Alias(flag: "--batch-norm", keys: ["generator.batchNorm"]),
    ]

    /// The `--help` line of an alias: the setting's own help, then its key(s) and allowed values.
    static func help(_ flag: String) -> ArgumentHelp {
        guard let alias = aliases.first(where: { $0.flag == flag }),
              let setting = GANConfiguration.settingsByKey[alias.keys[0]] else {
            preconditionFailure("no setting behind \(flag)")
        }
        let keys = alias.keys.joined(separator: " and ")
        if setting.kind == .boolean { return ArgumentHelp("\(setting.help) Sets \(keys) to true.") }
        return ArgumentHelp("\(setting.help) (\(keys): \(setting.allowedDescription))", valueName: valueName(setting.kind))
    }

    private static func valueName(_ kind: Setting.Kind) -> String {
        switch kind {
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "true|false"
        case .choice: return "name"
        }
    }

    /// Every setting for `--set`, one line each: key, allowed values, default, help (for `--help`).
    static var settingsHelp: String {
        let width = GANConfiguration.settings.map(\.key.count).max() ?? 0
        var lines = ["Settings (--set KEY=VALUE; also the keys of a --config file):"]
        for setting in GANConfiguration.settings {
            let pad = String(repeating: " ", count: width - setting.key.count)
            let when = setting.condition.map { " Used when \($0.key) is \($0.values.map(\.description).joined(separator: " or "))." } ?? ""
            lines.append("  \(setting.key)\(pad)  \(setting.allowedDescription) (default \(setting.defaultValue)): \(setting.help)\(when)")
        }
        return lines.joined(separator: "\n")
    }

    /// The changes the flags ask for, by key, with the flag that asked (for messages). `named` are the
    /// aliases given (flag, text); `pairs` the `--set` values. A key given twice is refused.
    static func changes(named: [(flag: String, text: String)], pairs: [String]) throws -> [String: (value: SettingValue, flag: String)] {
        var result: [String: (value: SettingValue, flag: String)] = [:]
        func add(_ key: String, _ text: String, flag: String) throws {
            guard let setting = GANConfiguration.settingsByKey[key] else {
                throw ValidationError("\(flag): unknown setting \"\(key)\"; run `ganlab train --help` for the list")
            }
            if let earlier = result[key] {
                throw ValidationError("\(flag) sets \(key), which \(earlier.flag) already set; give each setting once")
            }
            do {
                result[key] = (try setting.parse(text), flag)
            } catch {
                throw ValidationError(message(error, flag: flag))
            }
        }
        for (flag, text) in named {
            guard let alias = aliases.first(where: { $0.flag == flag }) else { preconditionFailure("unknown alias \(flag)") }
            for key in alias.keys { try add(key, text, flag: flag) }
        }
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--set \(pair): expected KEY=VALUE, e.g. --set generator.learningRate=0.01")
            }
            try add(String(pair[..<equals]), String(pair[pair.index(after: equals)...]), flag: "--set")
        }
        return result
    }

    /// "--d-lr: discriminator.learningRate 20 is out of range: allowed 1e-06...10".
    static func message(_ error: SettingError, flag: String) -> String { "\(flag): \(error)" }
}
