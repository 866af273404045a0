import Foundation
import GANEngine
import WebServer

/// ShareLink ⇄ the base64url blob of `/s/BLOB`, exactly as docs/run-format.md §4 lays it out.
public enum ShareLinkCodec {
    /// Link format version.
    public static let version: UInt8 = 1
    /// The longest blob: fits a request line (8 KiB here and in nginx's default) with room to spare, and a QR code.
    public static let maximumCharacters = 4096
    /// Bytes of the SHA-256 prefix at the end.
    static let checkBytes = 4
    /// Flags bit 0: the fields after the flags byte are raw DEFLATE (§4). Any other bit is refused.
    static let deflatedFlag: UInt8 = 1
    /// The most bytes a deflated link may inflate to: above any real link (20,000 exact points with float
    /// weights are 240 KB) and a bound on a deflate bomb (4,096 characters of one can reach 3 MB).
    static let maximumInflatedBytes = 1 << 20

    private enum DataKind: UInt8 { case preset = 0, gridPoints = 1, exactPoints = 2 }
    private enum WeightKind: UInt8 { case absent = 0, bytes = 1, floats = 2 }
    private enum ValueType: UInt8 { case integer = 1, float = 2, boolean = 3, choice = 4, double = 5 }

    /// The blob for `link`, or `.tooLarge` when it exceeds `maximumCharacters`.
    public static func encode(_ link: ShareLink) throws(ShareLinkError) -> String {
        var w = ByteWriter()
        w.u8(link.defaults == .lab ? 0 : 1)
        encodeData(link.data, into: &w)
        // Against what the decoder starts from (version 1 plus the engine defaults of settings added since).
        let baseline = ShareLinkBaseline.configuration.settingValues
        let base = link.edits.base.settingValues.filter { baseline[$0.key] != $0.value }
        settings(base, into: &w)
        w.varint(UInt64(link.edits.entries.count))
        var previous = 0
        for entry in link.edits.entries {
            w.varint(UInt64(entry.epoch - previous))
            previous = entry.epoch
            switch entry.change {
            case .configure(let changes): w.u8(RunFormat.EditKind.configure.rawValue); settings(changes, into: &w)
            case .discriminatorStep: w.u8(RunFormat.EditKind.discriminatorStep.rawValue)
            case .generatorStep: w.u8(RunFormat.EditKind.generatorStep.rawValue)
            }
        }
        w.varint(UInt64(link.epoch))
        // Deflated only when that is shorter: a preset link stays a few dozen characters.
        let deflated = WebSocketDeflate.compress(w.bytes)
        let isDeflated = deflated.count < w.bytes.count
        var blob: [UInt8] = [version, isDeflated ? deflatedFlag : 0] + (isDeflated ? deflated : w.bytes)
        blob += Digest.sha256(blob).prefix(checkBytes)
        let text = base64URL(blob)
        guard text.count <= maximumCharacters else { throw .tooLarge(characters: text.count) }
        return text
    }

    /// The link in `blob`, or the first reason it cannot be opened.
    public static func decode(_ blob: String) throws(ShareLinkError) -> ShareLink {
        guard blob.utf8.count <= maximumCharacters else { throw .malformed("longer than \(maximumCharacters) characters") }
        guard let bytes = bytes(fromBase64URL: blob) else { throw .malformed("it is not base64url (A–Z a–z 0–9 - _)") }
        guard bytes.count > checkBytes + 3 else { throw .malformed("too short") }
        let content = Array(bytes.dropLast(checkBytes))
        guard bytes[0] <= version else { throw .newerVersion(Int(bytes[0])) }
        guard bytes[0] >= 1 else { throw .malformed("version 0") }
        guard Digest.sha256(content).prefix(checkBytes).elementsEqual(bytes.suffix(checkBytes)) else {
            throw .malformed("its check does not match (cut short or mistyped?)")
        }
        guard content[1] & ~deflatedFlag == 0 else { throw .malformed("unknown flags (made by a newer ganlab?)") }
        var fields = Array(content[2...])
        if content[1] & deflatedFlag != 0 {
            let inflater = WebSocketInflater(resetsAfterEachMessage: true)
            var inflated: [UInt8] = []
            let result = fields.withUnsafeBytes { inflater.inflate($0, into: &inflated, limit: maximumInflatedBytes) }
            switch result == .ok ? inflater.finishMessage(into: &inflated, limit: maximumInflatedBytes) : result {
            case .ok: fields = inflated
            case .tooBig: throw .malformed("it inflates to more than \(maximumInflatedBytes) bytes")
            case .corrupt: throw .malformed("its compressed part is not valid DEFLATE data")
            }
        }
        do {
            return try decodeContent(fields)
        } catch {
            switch error {
            case .malformed(_, let reason): throw .malformed(reason)
            default: throw .invalidValue(error.description)
            }
        }
    }

    /// The fields after version and flags (inflated when they were deflated).
    private static func decodeContent(_ content: [UInt8]) throws(RunFormatError) -> ShareLink {
        var r = ByteReader(content, context: "share link")
        let defaults: SettingsProfile
        switch try r.u8() {
        case 0: defaults = .lab
        case 1: defaults = .reference
        default: throw r.malformed("unknown settings profile")
        }
        let data = try decodeData(&r)
        var start = ShareLinkBaseline.configuration.settingValues
        start.merge(try settings(&r)) { $1 }
        var log = RunEditLog(base: try GANConfiguration.decoded(from: start))
        let count = try r.varint(atMost: RunEditLog.maximumEntries)
        var epoch = 0
        var configuration = log.base
        for _ in 0..<count {
            epoch += try r.varint(atMost: Int(Int32.max))
            switch RunFormat.EditKind(rawValue: try r.u8()) {
            case .configure:
                let changes = try settings(&r)
                configuration = try GANConfiguration.decoded(from: changes, startingFrom: configuration)
                log.record(.configure(changes), at: epoch)
            case .discriminatorStep: log.record(.discriminatorStep, at: epoch)
            case .generatorStep: log.record(.generatorStep, at: epoch)
            case nil: throw r.malformed("unknown edit kind")
            }
        }
        let sharedAt = try r.varint(atMost: Int(Int32.max) * 64)
        guard r.isAtEnd else { throw r.malformed("\(r.remaining) bytes too many") }
        return ShareLink(data: data, defaults: defaults, edits: log, epoch: sharedAt)
    }

    // MARK: data

    private static func encodeData(_ data: RunData, into w: inout ByteWriter) {
        switch data {
        case .preset(let preset):
            w.u8(DataKind.preset.rawValue)
            w.string8(preset.rawValue)
        case .points(let coordinates, let weights, let jitter):
            let steps = coordinates.map(DrawingGrid.step(of:))
            if steps.allSatisfy({ $0 != nil }) {
                w.u8(DataKind.gridPoints.rawValue)
                w.varint(UInt64(coordinates.count / 2))
                var previous = (0, 0)
                for i in stride(from: 0, to: steps.count - 1, by: 2) {
                    let q = (steps[i]!, steps[i + 1]!)
                    w.signedVarint(q.0 - previous.0)
                    w.signedVarint(q.1 - previous.1)
                    previous = q
                }
            } else {
                w.u8(DataKind.exactPoints.rawValue)
                w.varint(UInt64(coordinates.count / 2))
                coordinates.forEach { w.f32($0) }
            }
            if let weights {
                if weights.allSatisfy({ $0 == $0.rounded() && (0...255).contains($0) }) {
                    w.u8(WeightKind.bytes.rawValue)
                    weights.forEach { w.u8(UInt8($0)) }
                } else {
                    w.u8(WeightKind.floats.rawValue)
                    weights.forEach { w.f32($0) }
                }
            } else {
                w.u8(WeightKind.absent.rawValue)
            }
            w.f32(jitter)
        }
    }

    private static func decodeData(_ r: inout ByteReader) throws(RunFormatError) -> RunData {
        let kind = DataKind(rawValue: try r.u8())
        if kind == .preset {
            let name = try r.string8()
            guard let preset = Preset(rawValue: name) else { throw .invalidValue("unknown preset \"\(name)\"") }
            return .preset(preset)
        }
        guard let kind else { throw r.malformed("unknown data kind") }
        let n = try r.varint(atMost: DrawnDistribution.maximumPointCount)
        guard n <= r.remaining else { throw r.malformed("claims \(n) points in \(r.remaining) bytes") }
        var coordinates = [Float]()
        coordinates.reserveCapacity(2 * n)
        if kind == .gridPoints {
            var q = (0, 0)
            for _ in 0..<n {
                q.0 += try r.signedVarint()
                q.1 += try r.signedVarint()
                guard abs(q.0) <= 8192, abs(q.1) <= 8192 else { throw r.malformed("a point lies far outside the square") }
                coordinates += [Float(q.0) / DrawingGrid.stepsPerUnit, Float(q.1) / DrawingGrid.stepsPerUnit]
            }
        } else {
            for _ in 0..<2 * n { coordinates.append(try r.f32()) }
        }
        var weights: [Float]?
        switch WeightKind(rawValue: try r.u8()) {
        case .absent: weights = nil
        case .bytes: weights = try r.raw(n).map(Float.init)
        case .floats:
            var ws = [Float]()
            for _ in 0..<n { ws.append(try r.f32()) }
            weights = ws
        case nil: throw r.malformed("unknown weights kind")
        }
        let data = RunData.points(coordinates: coordinates, weights: weights, jitter: try r.f32())
        do {
            _ = try data.makeDistribution()
        } catch {
            throw .invalidValue(error.message)
        }
        return data
    }

    // MARK: settings

    private static func settings(_ values: [String: SettingValue], into w: inout ByteWriter) {
        w.varint(UInt64(values.count))
        for key in values.keys.sorted() {
            w.string8(key)
            switch values[key]! {
            case .integer(let v): w.u8(ValueType.integer.rawValue); w.signedVarint(v)
            case .number(let v) where Double(Float(v)) == v: w.u8(ValueType.float.rawValue); w.f32(Float(v))
            case .number(let v): w.u8(ValueType.double.rawValue); w.f64(v)
            case .boolean(let v): w.u8(ValueType.boolean.rawValue); w.bool(v)
            case .choice(let v): w.u8(ValueType.choice.rawValue); w.string8(v)
            }
        }
    }

    private static func settings(_ r: inout ByteReader) throws(RunFormatError) -> [String: SettingValue] {
        let n = try r.varint(atMost: 1_000)
        var values: [String: SettingValue] = [:]
        for _ in 0..<n {
            let key = try r.string8()
            let value: SettingValue
            switch ValueType(rawValue: try r.u8()) {
            case .integer: value = .integer(try r.signedVarint())
            case .float: value = .number(Double(try r.f32()))
            case .double: value = .number(try r.f64())
            case .boolean: value = .boolean(try r.bool())
            case .choice: value = .choice(try r.string8())
            case nil: throw r.malformed("setting \(key) has an unknown type")
            }
            guard values.updateValue(value, forKey: key) == nil else { throw r.malformed("setting \(key) appears twice") }
        }
        return values
    }

    // MARK: base64url (RFC 4648 §5, no padding)

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of a canonical base64url text: only the 64 characters, no padding, a length that is not 4k + 1, and
    /// zero pad bits (RFC 4648 §3.5 lets a decoder refuse others), so each blob has exactly one spelling.
    static func bytes(fromBase64URL text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3 / 4)
        var buffer: UInt32 = 0, bits = 0
        for c in text.utf8 {
            let sextet: UInt8
            switch c {
            case 0x41...0x5A: sextet = c - 0x41        // A–Z
            case 0x61...0x7A: sextet = c - 0x61 + 26   // a–z
            case 0x30...0x39: sextet = c - 0x30 + 52   // 0–9
            case 0x2D: sextet = 62                     // -
            case 0x5F: sextet = 63                     // _
            default: return nil
            }
            buffer = buffer << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        // 6 bits left: a lone last character, which cannot end a byte; otherwise the 2 or 4 pad bits must be zero.
        guard bits < 6, buffer == 0 else { return nil }
        return bytes
    }
}
