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
        #expect(Array(file[8..<16]) == [1, 0, 0, 0, 0, 0, 0, 0])
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
}
