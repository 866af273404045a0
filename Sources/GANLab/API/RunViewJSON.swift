import GANEngine

/// Encodes a run's view as the JSON served by `GET /api/run` (the shape is in docs/api.md).
///
/// Hand-written rather than `JSONEncoder`: it runs every frame on thousands of numbers, and
/// fixed-point output (4 decimals, plenty for a 480-pixel canvas) keeps the payload small.
public enum RunViewJSON {
    /// The run's identity and state, shown above the numbers.
    public struct Header: Sendable {
        /// Preset name.
        public var preset: String
        /// The run's seed.
        public var seed: UInt64
        /// Whether the run is playing.
        public var isRunning: Bool
        /// Training pace while playing.
        public var epochsPerSecond: Double
        /// Why the run stopped, if it did.
        public var error: String?

        /// A header with every field given.
        public init(preset: String, seed: UInt64, isRunning: Bool, epochsPerSecond: Double, error: String?) {
            self.preset = preset; self.seed = seed; self.isRunning = isRunning
            self.epochsPerSecond = epochsPerSecond; self.error = error
        }
    }

    /// The whole document as UTF-8 bytes.
    public static func encode(_ header: Header, snapshot s: ViewSnapshot, real: [Float]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64 * 1024)
        let m = s.metrics
        out.append(contentsOf: "{\"preset\":".utf8); string(header.preset, &out)
        out.append(contentsOf: ",\"seed\":\(header.seed),\"epoch\":\(s.epoch)".utf8)
        out.append(contentsOf: ",\"running\":\(header.isRunning),\"epochs_per_second\":".utf8)
        number(header.epochsPerSecond, &out)
        out.append(contentsOf: ",\"error\":".utf8)
        if let error = header.error { string(error, &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"metrics\":{".utf8)
        field("d_loss", Double(m.discriminatorLoss), &out, first: true)
        field("g_loss", Double(m.generatorLoss), &out)
        field("g_grad_norm", Double(m.generatorGradientNorm), &out)
        field("js", m.divergence.js, &out)
        field("kl_real_fake", m.divergence.klRealFake, &out)
        field("kl_fake_real", m.divergence.klFakeReal, &out)
        field("js_floor", m.divergenceFloor.js, &out)
        field("kl_real_fake_floor", m.divergenceFloor.klRealFake, &out)
        field("fraction_outside", m.fractionOutside, &out)
        out.append(contentsOf: ",\"modes_missed\":".utf8)
        if let coverage = m.modeCoverage { out.append(contentsOf: "\(coverage.missedModes)".utf8) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: "},\"real\":".utf8); array(real, &out)
        out.append(contentsOf: ",\"fake\":".utf8); array(s.fakes, &out)
        out.append(contentsOf: ",\"field\":{\"resolution\":\(s.decisionResolution),\"values\":".utf8)
        array(s.decisionField, &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    private static func field(_ name: String, _ value: Double, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\"")); out.append(contentsOf: name.utf8); out.append(contentsOf: "\":".utf8)
        number(value, &out)
    }

    /// A finite number with up to 4 decimals, or `null` (JSON has no NaN or infinity).
    static func number(_ value: Double, _ out: inout [UInt8]) {
        guard value.isFinite, abs(value) < 1e12 else { out.append(contentsOf: "null".utf8); return }
        let scaled = Int64((abs(value) * 10_000).rounded())
        if value < 0 && scaled != 0 { out.append(UInt8(ascii: "-")) }
        out.append(contentsOf: String(scaled / 10_000).utf8)
        var fraction = scaled % 10_000
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        var digits = 4
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let text = String(fraction)
        for _ in 0..<(digits - text.count) { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: text.utf8)
    }

    private static func array(_ values: [Float], _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            number(Double(v), &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A JSON string with RFC 8259 §7 escaping.
    static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)]); out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
