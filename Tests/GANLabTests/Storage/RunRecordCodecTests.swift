import Foundation
import Testing
import GANEngine
import GANLab

/// The saved-run format (docs/run-format.md §1): round trips, and every damaged or foreign file refused with its reason.
@Suite struct RunRecordCodecTests {
    @Test(arguments: [true, false])
    func roundTrip_givesTheSameRecordBitForBit(points: Bool) throws {
        let record = StorageFixtures.record(points: points)
        let decoded = try RunRecordCodec.decode(RunRecordCodec.encode(record))
        #expect(decoded == record)
        // Equality of tensors is bitwise; check the NaN payload and −0 explicitly all the same.
        #expect(decoded.trainer.tensors[0].values[1].bitPattern == (-0.0 as Float).bitPattern)
        #expect(decoded.trainer.tensors[0].values[3].bitPattern == 0x7FC0_1234)
        #expect(decoded.trainer.scalars["lastDiscriminatorLoss"]!.isNaN)
        #expect(decoded.edits.entries.count == 3)
    }

    @Test func encoding_isDeterministic() {
        #expect(RunRecordCodec.encode(StorageFixtures.record()) == RunRecordCodec.encode(StorageFixtures.record()))
    }

    @Test func fileStartsWithTheDocumentedHeader() {
        let file = RunRecordCodec.encode(StorageFixtures.record())
        #expect(Array(file[0..<8]) == [0x89, 0x47, 0x4C, 0x52, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(file[8..<16]) == [1, 0, 2, 0, 0, 0, 0, 0])   // 1.2 (docs/run-format.md §1.1)
        #expect(StorageFixtures.sections(of: file).map(\.0) == ["META", "DATA", "CONF", "TRNR", "TENS", "HIST", "EDIT"])
        // Rebuilt by hand from the table, the file is the same bytes.
        #expect(StorageFixtures.frame(StorageFixtures.sections(of: file)) == file)
    }

    @Test func everyTruncation_isRefused() {
        let file = RunRecordCodec.encode(StorageFixtures.record())
        for length in 0..<file.count {
            #expect(throws: RunFormatError.self) { try RunRecordCodec.decode(Array(file[0..<length])) }
        }
        #expect(throws: RunFormatError.truncated(actual: file.count - 1, expected: file.count)) {
            try RunRecordCodec.decode(Array(file.dropLast()))
        }
        #expect(throws: RunFormatError.trailingBytes(extra: 1)) { try RunRecordCodec.decode(file + [0]) }
    }

    @Test func everyFlippedByte_isRefused() {
        let file = RunRecordCodec.encode(StorageFixtures.record())
        for offset in 0..<file.count {
            var damaged = file
            damaged[offset] ^= 0x20
            #expect(throws: RunFormatError.self, "offset \(offset)") { try RunRecordCodec.decode(damaged) }
        }
        var damaged = file
        damaged[100] ^= 1
        #expect(throws: RunFormatError.checksumMismatch) { try RunRecordCodec.decode(damaged) }
    }

    @Test func foreignFiles_areNamedForeign() {
        for bytes in [[], Array("{\"preset\":\"ring\"}".utf8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]] as [[UInt8]] {
            #expect(throws: RunFormatError.foreign) { try RunRecordCodec.decode(bytes) }
        }
        #expect(RunFormatError.foreign.description == "not a ganlab run file")
    }

    @Test func newerMajor_isRefusedAsNewer() throws {
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(StorageFixtures.record()))
        let error = try #require(throws: RunFormatError.self) { try RunRecordCodec.decode(StorageFixtures.frame(sections, major: 2, minor: 3)) }
        #expect(error == .newerVersion(major: 2, minor: 3))
        #expect(error.isNewerVersion)
        #expect(error.description.contains("newer ganlab (format 2.3)"))
        #expect(throws: RunFormatError.unknownFlags(4)) { try RunRecordCodec.decode(StorageFixtures.frame(sections, flags: 4)) }
    }

    @Test func newerMinor_skipsAncillarySections_andRefusesCriticalOnes() throws {
        let record = StorageFixtures.record()
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(record))
        let withNote = [("note", Array("made in class".utf8))] + sections + [("thmb", [1, 2, 3])]
        #expect(try RunRecordCodec.decode(StorageFixtures.frame(withNote, minor: 7)) == record)
        let withCritical = sections + [("Avgw", [0, 0, 0, 0])]
        let error = try #require(throws: RunFormatError.self) { try RunRecordCodec.decode(StorageFixtures.frame(withCritical, minor: 1)) }
        #expect(error == .unknownCriticalSection("Avgw"))
        #expect(error.isNewerVersion)
    }

    @Test func historyWrittenWithEightValues_readsWithNaNFloors_andTenValuesKeepTheFloors() throws {
        let record = StorageFixtures.record()
        #expect(try RunRecordCodec.decode(RunRecordCodec.encode(record)).metrics[1].klFakeRealFloor == 0.03)
        // HIST as files before the KL floors wrote it: C = 8.
        var hist = StorageFixtures.le(UInt32(1)) + StorageFixtures.le(UInt32(8)) + StorageFixtures.le(Int64(500))
        for v: Float in [1, 2, 3, 4, 5, 6, 7, 0] { hist += StorageFixtures.le(v.bitPattern) }
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(record)).map { $0.0 == "HIST" ? ("HIST", hist) : $0 }
        let rows = try RunRecordCodec.decode(StorageFixtures.frame(sections)).metrics
        #expect(rows.count == 1 && rows[0].epoch == 500 && rows[0].jsFloor == 7 && rows[0].modesMissed == 0)
        #expect(rows[0].klRealFakeFloor.isNaN && rows[0].klFakeRealFloor.isNaN)
        // Encoded with ten values per row: a reader that knows eight skips the last two of each row.
        let encoded = StorageFixtures.sections(of: RunRecordCodec.encode(record)).first { $0.0 == "HIST" }!.1
        #expect(Array(encoded[4..<8]) == StorageFixtures.le(UInt32(10)))
        #expect(encoded.count == 8 + 2 * (8 + 10 * 4))
    }

    @Test func missingOrRepeatedSections_areNamed() {
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(StorageFixtures.record()))
        #expect(throws: RunFormatError.missingSection("HIST")) {
            try RunRecordCodec.decode(StorageFixtures.frame(sections.filter { $0.0 != "HIST" }))
        }
        #expect(throws: RunFormatError.repeatedSection("META")) {
            try RunRecordCodec.decode(StorageFixtures.frame(sections + [sections[0]]))
        }
    }

    /// Replaces the settings list of CONF by `values` written from the §1.3 table.
    private func file(withSettings values: [(String, UInt8, [UInt8])]) -> [UInt8] {
        var conf = StorageFixtures.le(UInt32(values.count))
        for (key, type, value) in values {
            conf += StorageFixtures.le(UInt32(key.utf8.count)) + Array(key.utf8) + [type] + value
        }
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(StorageFixtures.record()))
        return StorageFixtures.frame(sections.map { $0.0 == "CONF" ? ("CONF", conf) : $0 })
    }

    @Test func missingSettings_takeTheEngineDefault_unknownOnesAreRefused() throws {
        let lr = StorageFixtures.le(Double(0.5).bitPattern)
        let decoded = try RunRecordCodec.decode(file(withSettings: [("discriminator.learningRate", 2, lr)]))
        var expected = GANConfiguration()
        expected.discriminator.optimizer.learningRate = 0.5
        #expect(decoded.trainer.configuration == expected)

        let error = try #require(throws: RunFormatError.self) {
            try RunRecordCodec.decode(file(withSettings: [("stabilizers.teleport", 3, [1])]))
        }
        #expect(error.description.contains("\"stabilizers.teleport\" is unknown"))
        #expect(error.isNewerVersion)
    }

    @Test func settingsOutOfRangeOrOfTheWrongType_areRefusedNamingTheKey() throws {
        let big = try #require(throws: RunFormatError.self) {
            try RunRecordCodec.decode(file(withSettings: [("generator.neurons", 1, StorageFixtures.le(Int64(300)))]))
        }
        #expect(big.description == "setting generator.neurons 300 is out of range: allowed 1...256")
        let wrong = try #require(throws: RunFormatError.self) {
            try RunRecordCodec.decode(file(withSettings: [("loss", 3, [1])]))
        }
        #expect(wrong.description.contains("loss"))
    }

    @Test func hostileCounts_failWithoutAllocating() throws {
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(StorageFixtures.record()))
        // 4 billion tensors, and a tensor of 65535 × 65535.
        let manyTensors = StorageFixtures.le(UInt32.max)
        var hugeTensor = StorageFixtures.le(UInt32(1)) + StorageFixtures.le(UInt32(1)) + Array("w".utf8)
        hugeTensor += StorageFixtures.le(UInt32(65535)) + StorageFixtures.le(UInt32(65535))
        for tens in [manyTensors, hugeTensor] {
            let error = try #require(throws: RunFormatError.self) {
                try RunRecordCodec.decode(StorageFixtures.frame(sections.map { $0.0 == "TENS" ? ("TENS", tens) : $0 }))
            }
            #expect(error.description.hasPrefix("section TENS"))
        }
        // A body length near 2^64 is "truncated", not an overflow.
        var file = RunRecordCodec.encode(StorageFixtures.record())
        file.replaceSubrange(16..<24, with: StorageFixtures.le(UInt64.max - 10))
        #expect(throws: RunFormatError.self) { try RunRecordCodec.decode(file) }
    }

    @Test func invalidDataAndRandomState_areRefused() throws {
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(StorageFixtures.record()))
        let outside: [UInt8] = [1] + StorageFixtures.le(UInt32(1)) + StorageFixtures.le(Float(3).bitPattern)
            + StorageFixtures.le(Float(0).bitPattern) + [0] + StorageFixtures.le(Float(0.04).bitPattern)
        let dataError = try #require(throws: RunFormatError.self) {
            try RunRecordCodec.decode(StorageFixtures.frame(sections.map { $0.0 == "DATA" ? ("DATA", outside) : $0 }))
        }
        #expect(dataError.description.hasPrefix("data: "))
        let zeroRandom = StorageFixtures.le(Int64(5)) + StorageFixtures.le(UInt32(6)) + [UInt8](repeating: 0, count: 48)
            + StorageFixtures.le(UInt32(0))
        #expect(throws: RunFormatError.invalidValue("random generator state is invalid")) {
            try RunRecordCodec.decode(StorageFixtures.frame(sections.map { $0.0 == "TRNR" ? ("TRNR", zeroRandom) : $0 }))
        }
    }

    /// `StorageFixtures.record()` changed by `change`, encoded (the encoder writes whatever it is given, checksum and all).
    private func file(_ change: (inout RunRecord) -> Void) -> [UInt8] {
        var record = StorageFixtures.record()
        change(&record)
        return RunRecordCodec.encode(record)
    }

    /// The limits of docs/run-format.md §1.2: a crafted file passes its checksum, so each number is checked on its own.
    @Test func numbersOutsideTheirLimits_areRefusedNamingTheField() throws {
        let row = { (epoch: Int) in MetricsRow(epoch: epoch, discriminatorLoss: 1, generatorLoss: 1, generatorGradientNorm: 1,
                                                klRealFake: 1, klFakeReal: 1, js: 1, jsFloor: 1, modesMissed: 0) }
        let base = StorageFixtures.record()
        let cases: [(String, (inout RunRecord) -> Void)] = [
            ("section TRNR: epoch 9223372036854774307 is outside 0...281474976710656", { $0.trainer.epoch = Int.max - 1500 }),
            ("section TRNR: epoch 4611686018427387904 is outside", { $0.trainer.epoch = 1 << 62 }),
            ("section TRNR: epoch 281474976710657 is outside", { $0.trainer.epoch = TrainerState.maximumEpoch + 1 }),
            ("section TRNR: epoch -1 is outside", { $0.trainer.epoch = -1 }),
            ("section META: epochs per second 1e+300 is outside", { $0.epochsPerSecond = 1e300 }),
            ("section META: epochs per second inf is outside", { $0.epochsPerSecond = .infinity }),
            ("section META: epochs per second nan is outside", { $0.epochsPerSecond = .nan }),
            ("section META: epochs per second -5.0 is outside", { $0.epochsPerSecond = -5 }),
            ("section META: seconds per slow-motion step 1e+100 is outside", { $0.secondsPerStep = 1e100 }),
            ("section META: seconds per slow-motion step 0.0 is outside", { $0.secondsPerStep = 0 }),
            ("section META: generation 9223372036854775807 is outside 0...4294967295", { $0.generation = Int.max }),
            ("section META: generation -1 is outside", { $0.generation = -1 }),
            ("section META: the error message is longer than 4096 bytes", { $0.error = String(repeating: "x", count: 4_097) }),
            ("section HIST: a row's epoch 9223372036854775807 is outside", { $0.metrics = [row(0), row(.max)] }),
            ("section HIST: a row's epoch -9223372036854775808 is outside", { $0.metrics = [row(.min)] }),
            ("section HIST: row epochs do not increase", { $0.metrics = [row(10), row(10)] }),
            ("section HIST: row epochs do not increase", { $0.metrics = [row(10), row(5)] }),
            ("section EDIT: an edit's epoch 4611686018427387904 is outside", {
                $0.edits = RunEditLog(base: base.edits.base, entries: [.init(epoch: 1 << 62, change: .generatorStep)], isComplete: true)
            }),
            ("section EDIT: 10001 edits; a log keeps at most 10000", {
                $0.edits = RunEditLog(base: base.edits.base, entries: Array(repeating: .init(epoch: 5, change: .discriminatorStep), count: 10_001),
                                      isComplete: true)
            }),
        ]
        for (message, change) in cases {
            let error = try #require(throws: RunFormatError.self, "\(message)") { try RunRecordCodec.decode(file(change)) }
            #expect(error.description.hasPrefix(message), "\(error)")
        }
        // Each limit itself is allowed.
        let edge = file {
            $0.trainer.epoch = TrainerState.maximumEpoch
            $0.epochsPerSecond = 1e9
            $0.secondsPerStep = 86_400
            $0.generation = Int(UInt32.max)
            $0.error = String(repeating: "x", count: 4_096)
            $0.metrics = [row(0), row(TrainerState.maximumEpoch)]
        }
        #expect(try RunRecordCodec.decode(edge).trainer.epoch == TrainerState.maximumEpoch)
    }

    /// Times are patched in by hand: the encoder cannot even write a date whose milliseconds exceed `Int`.
    @Test func timesOutsideTheYears1970To9999_areRefused() throws {
        let good = RunRecordCodec.encode(StorageFixtures.record())
        let createdAt = StorageFixtures.le(Int64(1_700_000_000_123))
        let sections = StorageFixtures.sections(of: good)
        let meta = try #require(sections.first { $0.0 == "META" }?.1)
        let at = try #require((0...(meta.count - 8)).first { Array(meta[$0..<$0 + 8]) == createdAt })
        for crafted: Int64 in [.max, .min, -1, 253_402_300_800_000] {
            var patched = meta
            patched.replaceSubrange(at..<at + 8, with: StorageFixtures.le(crafted))
            let error = try #require(throws: RunFormatError.self) {
                try RunRecordCodec.decode(StorageFixtures.frame(sections.map { $0.0 == "META" ? ("META", patched) : $0 }))
            }
            #expect(error.description == "section META: createdAt \(crafted) is outside 0...253402300799999")
        }
    }
}
