import Foundation
import GANEngine

/// One encoder and one decoder per section of docs/run-format.md §1.2, side by side.
extension RunRecordCodec {
    // MARK: META

    static func encodeMeta(_ r: RunRecord, into w: inout ByteWriter) {
        w.string(r.code.text)
        w.raw(r.tokenHash.count == 32 ? r.tokenHash : [UInt8](repeating: 0, count: 32))
        w.string(r.defaults.rawValue)
        w.string(r.playState.rawValue)
        optional(r.error, into: &w) { $0.string($1) }
        optional(r.epochsPerSecond, into: &w) { $0.f64($1) }
        w.bool(r.isSlowMotion)
        w.f64(r.secondsPerStep)
        w.i64(r.generation)
        w.i64(milliseconds(r.createdAt))
        w.i64(milliseconds(r.updatedAt))
        optional(r.forkedFrom, into: &w) { $0.string($1.text) }
    }

    static func decodeMeta(_ r: inout ByteReader) throws(RunFormatError) -> RunRecord {
        let code = try runCode(try r.string(), r)
        let tokenHash = try r.raw(32)
        guard let defaults = SettingsProfile(rawValue: try r.string()) else { throw r.malformed("unknown settings profile") }
        guard let playState = RunRecord.PlayState(rawValue: try r.string()) else { throw r.malformed("unknown play state") }
        let error: String? = try r.bool() ? try r.string() : nil
        if let error, error.utf8.count > RunFormat.Limits.maximumErrorBytes {
            throw r.malformed("the error message is longer than \(RunFormat.Limits.maximumErrorBytes) bytes")
        }
        let speed: Double? = try r.bool() ? try r.f64() : nil
        if let speed, !(speed > 0 && speed <= RunFormat.Limits.maximumEpochsPerSecond) {
            throw r.malformed("epochs per second \(speed) is outside (0, \(RunFormat.Limits.maximumEpochsPerSecond)]")
        }
        let isSlowMotion = try r.bool()
        let secondsPerStep = try r.f64()
        guard secondsPerStep > 0 && secondsPerStep <= RunFormat.Limits.maximumSecondsPerStep else {
            throw r.malformed("seconds per slow-motion step \(secondsPerStep) is outside (0, \(RunFormat.Limits.maximumSecondsPerStep)]")
        }
        let generation = try r.i64(in: RunFormat.Limits.generation, "generation")
        let createdAt = date(try r.i64(in: RunFormat.Limits.milliseconds, "createdAt"))
        let updatedAt = date(try r.i64(in: RunFormat.Limits.milliseconds, "updatedAt"))
        let forkedFrom: RunCode? = try r.bool() ? try runCode(try r.string(), r) : nil
        return RunRecord(code: code, tokenHash: tokenHash, data: .preset(.gaussians), defaults: defaults,
                         trainer: TrainerState(configuration: GANConfiguration(), epoch: 0, random: [], scalars: [:], tensors: []),
                         playState: playState, error: error, epochsPerSecond: speed, isSlowMotion: isSlowMotion,
                         generation: generation, metrics: [], createdAt: createdAt, updatedAt: updatedAt, forkedFrom: forkedFrom,
                         secondsPerStep: secondsPerStep)
    }

    // MARK: DATA

    static func encodeData(_ data: RunData, into w: inout ByteWriter) {
        switch data {
        case .preset(let preset):
            w.u8(0)
            w.string(preset.rawValue)
        case .points(let coordinates, let weights, let jitter):
            w.u8(1)
            w.count(coordinates.count / 2)
            w.floats(coordinates)
            optional(weights, into: &w) { $0.floats($1) }
            w.f32(jitter)
        }
    }

    static func decodeData(_ r: inout ByteReader) throws(RunFormatError) -> RunData {
        let data: RunData
        switch try r.u8() {
        case 0:
            let name = try r.string()
            guard let preset = Preset(rawValue: name) else { throw .invalidValue("data: unknown preset \"\(name)\"") }
            data = .preset(preset)
        case 1:
            let n = try r.count(itemBytes: 8)
            let coordinates = try r.floats(2 * n)
            let weights: [Float]? = try r.bool() ? try r.floats(n) : nil
            data = .points(coordinates: coordinates, weights: weights, jitter: try r.f32())
        case let kind:
            throw r.malformed("unknown data kind \(kind)")
        }
        do {
            _ = try data.makeDistribution()
        } catch {
            throw .invalidValue("data: \(error.message)")
        }
        return data
    }

    // MARK: TRNR and TENS

    static func encodeTrainer(_ t: TrainerState, into w: inout ByteWriter) {
        w.i64(t.epoch)
        w.count(t.random.count)
        t.random.forEach { w.u64($0) }
        w.count(t.scalars.count)
        for name in t.scalars.keys.sorted() {
            w.string(name)
            w.f64(t.scalars[name]!)
        }
    }

    static func decodeTrainer(_ r: inout ByteReader, configuration: GANConfiguration) throws(RunFormatError) -> TrainerState {
        let epoch = try r.i64(in: RunFormat.Limits.epoch, "epoch")
        let words = try r.count(itemBytes: 8)
        var random = [UInt64]()
        for _ in 0..<words { random.append(try r.u64()) }
        guard RandomSource(state: random) != nil else { throw .invalidValue("random generator state is invalid") }
        let n = try r.count(itemBytes: 12)
        var scalars: [String: Double] = [:]
        for _ in 0..<n {
            let name = try r.string()
            guard scalars.updateValue(try r.f64(), forKey: name) == nil else { throw r.malformed("scalar \(name) appears twice") }
        }
        return TrainerState(configuration: configuration, epoch: epoch, random: random, scalars: scalars, tensors: [])
    }

    static func encodeTensors(_ tensors: [TrainerState.Tensor], into w: inout ByteWriter) {
        w.count(tensors.count)
        for t in tensors {
            w.string(t.name)
            w.count(t.rows)
            w.count(t.columns)
            w.floats(t.values)
        }
    }

    static func decodeTensors(_ r: inout ByteReader) throws(RunFormatError) -> [TrainerState.Tensor] {
        let n = try r.count(itemBytes: 12)
        var tensors: [TrainerState.Tensor] = []
        for _ in 0..<n {
            let name = try r.string()
            let rows = Int(try r.u32()), columns = Int(try r.u32())
            let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
            guard !overflow, count <= r.remaining / 4 else { throw r.malformed("tensor \(name) (\(rows)×\(columns)) is longer than the file") }
            let values = try r.floats(count)
            tensors.append(TrainerState.Tensor(name: name, rows: rows, columns: columns, values: values))
        }
        return tensors
    }

    // MARK: HIST

    static func encodeHistory(_ rows: [MetricsRow], into w: inout ByteWriter) {
        w.count(rows.count)
        w.count(RunFormat.historyValues)
        for row in rows {
            w.i64(row.epoch)
            [row.discriminatorLoss, row.generatorLoss, row.generatorGradientNorm, row.klRealFake, row.klFakeReal,
             row.js, row.jsFloor, row.modesMissed, row.klRealFakeFloor, row.klFakeRealFloor].forEach { w.f32($0) }
        }
    }

    static func decodeHistory(_ r: inout ByteReader) throws(RunFormatError) -> [MetricsRow] {
        let n = Int(try r.u32())
        let columns = Int(try r.u32())
        guard columns <= RunFormat.Limits.maximumHistoryValues, n <= r.remaining / (8 + 4 * columns) else {
            throw r.malformed("claims \(n) rows of \(columns) values")
        }
        var rows: [MetricsRow] = []
        rows.reserveCapacity(n)
        for _ in 0..<n {
            let epoch = try r.i64(in: RunFormat.Limits.epoch, "a row's epoch")
            // Strictly increasing, as the lab records them: its history thins rows by epoch and relies on it.
            guard epoch > (rows.last?.epoch ?? -1) else { throw r.malformed("row epochs do not increase") }
            let v = try r.floats(columns) + [Float](repeating: .nan, count: max(0, RunFormat.historyValues - columns))
            rows.append(MetricsRow(epoch: epoch, discriminatorLoss: v[0], generatorLoss: v[1], generatorGradientNorm: v[2],
                                   klRealFake: v[3], klFakeReal: v[4], js: v[5], jsFloor: v[6], modesMissed: v[7],
                                   klRealFakeFloor: v[8], klFakeRealFloor: v[9]))
        }
        return rows
    }

    // MARK: EDIT

    static func encodeEdits(_ log: RunEditLog, into w: inout ByteWriter) {
        w.bool(log.isComplete)
        w.settings(log.base.settingValues)
        w.count(log.entries.count)
        for entry in log.entries {
            w.i64(entry.epoch)
            switch entry.change {
            case .configure(let changes):
                w.u8(RunFormat.EditKind.configure.rawValue)
                w.settings(changes)
            case .discriminatorStep: w.u8(RunFormat.EditKind.discriminatorStep.rawValue)
            case .generatorStep: w.u8(RunFormat.EditKind.generatorStep.rawValue)
            }
        }
    }

    static func decodeEdits(_ r: inout ByteReader) throws(RunFormatError) -> RunEditLog {
        let isComplete = try r.bool()
        let base = try GANConfiguration.decoded(from: try r.settings())
        let n = try r.count(itemBytes: 9)
        guard n <= RunEditLog.maximumEntries else { throw r.malformed("\(n) edits; a log keeps at most \(RunEditLog.maximumEntries)") }
        var entries: [RunEditLog.Entry] = []
        for _ in 0..<n {
            let epoch = try r.i64(in: RunFormat.Limits.epoch, "an edit's epoch")
            guard epoch >= (entries.last?.epoch ?? 0) else { throw r.malformed("edit epochs decrease") }
            switch RunFormat.EditKind(rawValue: try r.u8()) {
            case .configure:
                let changes = try r.settings()
                _ = try GANConfiguration.decoded(from: changes, startingFrom: base)
                entries.append(.init(epoch: epoch, change: .configure(changes)))
            case .discriminatorStep: entries.append(.init(epoch: epoch, change: .discriminatorStep))
            case .generatorStep: entries.append(.init(epoch: epoch, change: .generatorStep))
            case nil: throw r.malformed("unknown edit kind")
            }
        }
        return RunEditLog(base: base, entries: entries, isComplete: isComplete)
    }

    // MARK: primitives of this format

    private static func optional<T>(_ value: T?, into w: inout ByteWriter, _ write: (inout ByteWriter, T) -> Void) {
        w.bool(value != nil)
        if let value { write(&w, value) }
    }

    private static func runCode(_ text: String, _ r: ByteReader) throws(RunFormatError) -> RunCode {
        guard let code = RunCode(text), code.text == text else { throw r.malformed("\"\(text)\" is not a run code") }
        return code
    }

    /// A time as whole milliseconds since 1970 (the format keeps milliseconds).
    static func milliseconds(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }

    static func date(_ milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
