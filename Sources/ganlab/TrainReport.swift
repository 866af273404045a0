import GANEngine

/// What `ganlab train` prints: the final JSON object or text, and the metrics CSV rows.
struct TrainReport {
    /// The CSV header (columns in `csvRow` order).
    static let csvHeader = "epoch,d_loss,g_loss,kl_real_fake,kl_fake_real,js,js_floor,g_grad_norm,fraction_outside,modes_missed\n"

    /// One CSV row of metrics; NaN is written as "nan", a missing mode count as an empty field.
    static func csvRow(_ m: ViewMetrics, epoch: Int) -> String {
        let modes = m.modeCoverage.map { String($0.missedModes) } ?? ""
        return "\(epoch),\(m.discriminatorLoss),\(m.generatorLoss),\(m.divergence.klRealFake),\(m.divergence.klFakeReal),"
            + "\(m.divergence.js),\(m.divergenceFloor.js),\(m.generatorGradientNorm),\(m.fractionOutside),\(modes)\n"
    }

    var preset: Preset?
    var profile: SettingsProfile
    var seed: UInt64
    var epochs: Int
    var metrics: ViewMetrics
    var seconds: Double
    var epochsPerSecond: Double
    /// Set when training diverged.
    var error: TrainingError?

    /// One JSON object: the run's result, `error` and `epoch` when it diverged; non-finite numbers are null.
    var json: String {
        let m = metrics
        var fields: [(String, String)] = [
            ("preset", preset.map { quoted($0.rawValue) } ?? "null"), ("defaults", quoted(profile.rawValue)), ("seed", String(seed)),
            ("epochs", String(epochs)),
            ("js", number(m.divergence.js)), ("js_floor", number(m.divergenceFloor.js)),
            ("kl", number(m.divergence.klRealFake)), ("kl_fake_real", number(m.divergence.klFakeReal)),
            ("modes_missed", m.modeCoverage.map { String($0.missedModes) } ?? "null"),
            ("g_grad_norm", number(Double(m.generatorGradientNorm))),
            ("d_loss", number(Double(m.discriminatorLoss))), ("g_loss", number(Double(m.generatorLoss))),
            ("seconds", number(seconds)), ("epochs_per_s", number(epochsPerSecond)),
        ]
        if let error {
            if case .diverged(let epoch, _) = error { fields.append(("epoch", String(epoch))) }
            fields.append(("error", quoted(error.description)))
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A few lines for a person.
    var text: String {
        let m = metrics
        var lines = [
            "\(preset.map { "preset \($0.rawValue)" } ?? "drawing") (\(profile.rawValue) defaults, seed \(seed)), \(epochs) epochs in \(format(seconds)) s (\(Int(epochsPerSecond)) epochs/s)",
            "JS \(format(m.divergence.js)) bits (floor \(format(m.divergenceFloor.js)), \(format(m.divergence.js / max(m.divergenceFloor.js, 1e-12)))× the floor), "
                + "KL(real‖fake) \(format(m.divergence.klRealFake)), KL(fake‖real) \(format(m.divergence.klFakeReal))",
            "D loss \(format(Double(m.discriminatorLoss))), G loss \(format(Double(m.generatorLoss))), G gradient norm \(format(Double(m.generatorGradientNorm)))",
        ]
        if let coverage = m.modeCoverage {
            lines.append("modes missed \(coverage.missedModes) of \(coverage.fractions.count), off-mode fraction \(format(coverage.fractionOffModes))")
        }
        return lines.joined(separator: "\n")
    }

    private func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    private func quoted(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// Three decimals.
    private func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        return "\((value * 1000).rounded() / 1000)"
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
