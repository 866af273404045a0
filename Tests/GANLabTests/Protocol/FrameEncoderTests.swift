import Testing
import GANEngine
import GANLab

/// The binary frame against docs/protocol.md §3, byte for byte where the table fixes bytes.
@Suite struct FrameEncoderTests {
    static func snapshot() -> ViewSnapshot {
        var s = ViewSnapshot()
        s.epoch = (1 << 32) + 7
        s.fakes = [0.5, -0.25, 1.99, -2.5, .nan, 0]
        s.fakePush = [0.1, -0.2, 0.05, 0, 0, 0.2]
        s.fakeDiscriminatorGradient = [1, 0, 0, -1, 0.5, 0.5]
        s.decisionResolution = 3
        s.decisionField = [0, 0.5, 1, 0.25, 0.75, 0.1, 0.2, 0.3, 1.5]
        s.gridResolution = 2
        s.gridPush = [1, 1, -1, -1, 0.5, 0, 0, 0.5]
        s.gridDiscriminatorGradient = [0, 0, 0, 0, 0, 0, 0, 0]
        // (GeneratorManifold has no public initialiser: the manifold section is checked over loopback.)
        s.fakePredictions = [0, 0.5, 1]
        s.realPredictions = [0.2, 0.8]
        s.metrics.discriminatorLoss = 1.25
        s.metrics.modeCoverage = ModeCoverage(fractions: [0.5, 0.25, 0], missedModes: 1, fractionOffModes: 0.25)
        return s
    }

    static let header = FrameHeader(epoch: (1 << 32) + 7, time: 1_700_000_000_123.5, sequence: 9, generation: 3, viewers: 31,
                                    epochsPerSecond: 99.5, state: .playing, subStep: 0)

    private func u16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
    private func u32(_ b: [UInt8], _ o: Int) -> Int { u16(b, o) | u16(b, o + 2) << 16 }

    @Test func header_matchesTheTableByteForByte() {
        let bytes = FrameEncoder.encode(header: Self.header, snapshot: Self.snapshot(), layers: [])
        #expect(Array(bytes[0..<4]) == Array("GLAB".utf8))
        #expect(u16(bytes, 4) == 1 && u16(bytes, 6) == 48)
        #expect(u32(bytes, 8) == 7 && u32(bytes, 12) == 1, "epoch split in low and high words")
        #expect(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16, as: Double.self) } == 1_700_000_000_123.5)
        #expect(u32(bytes, 24) == 9 && u32(bytes, 28) == 3 && u32(bytes, 32) == 31)
        #expect(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 36, as: Float.self) } == 99.5)
        #expect(bytes[40] == 1 && bytes[41] == 0 && u16(bytes, 42) == 1 && u32(bytes, 44) == 0)
        // The one section without layers: metrics, 13 floats, right after the 12-byte table entry.
        #expect(u16(bytes, 48) == 8 && u16(bytes, 50) == 0 && u32(bytes, 52) == 60 && u32(bytes, 56) == 4 + 13 * 4)
        #expect(u16(bytes, 60) == 13)
        #expect(bytes.count == 60 + 56)
    }

    @Test func everyLayer_roundTripsWithinItsQuantisation_atAlignedOffsets() throws {
        let all = FrameLayers(names: FrameLayers.allNames)!
        let bytes = FrameEncoder.encode(header: Self.header, snapshot: Self.snapshot(), layers: all)
        let frame = try DecodedFrame(bytes)
        #expect(frame.sectionIDs == [1, 2, 3, 4, 5, 6, 8, 9, 10], "sections in id order; no manifold in this snapshot")
        for index in 0..<frame.sections.count {
            #expect(u32(bytes, 48 + 12 * index + 4) % 4 == 0, "section \(index) aligned")
        }
        let fakes = try #require(frame.fakes())
        #expect(fakes == [0.5, -0.25, Float(32604) / 16384, -2, 0, 0], "clamped to [-2, 2), NaN as 0; exact at multiples of 2⁻¹⁴")
        let push = try #require(frame.vectors(.arrows))
        for (a, b) in zip(push, Self.snapshot().fakePush) { #expect(abs(a - b) <= 0.2 / 127 / 2 + 1e-6) }
        let field = try #require(frame.field())
        #expect(field.resolution == 3)
        #expect(field.values[1] == Float(128) / 255 && field.values[8] == 1, "probabilities rounded, clamped to 1")
        #expect(try #require(frame.vectors(.gridDgrad)).allSatisfy { $0 == 0 }, "scale 0: all zero, no division by zero")
        let metrics = try #require(frame.metrics())
        #expect(metrics[0] == 1.25 && metrics[10] == 1 && metrics[11] == 3 && metrics[12] == 0.25)
        #expect(metrics[1].isNaN, "G loss not available yet: NaN")
        #expect(try #require(frame.modes()) == [Float(128) / 255, Float(64) / 255, 0])
        let p = try #require(frame.predictions())
        #expect(p.fakes == [0, Float(128) / 255, 1] && p.real.count == 2)
    }

    @Test func defaultFrame_atDefaultViewSizes_fitsIn8KB() {
        var s = ViewSnapshot()
        s.fakes = [Float](repeating: 0.1, count: 1000)
        s.fakePush = s.fakes
        s.decisionResolution = 64
        s.decisionField = [Float](repeating: 0.5, count: 64 * 64)
        s.metrics.modeCoverage = ModeCoverage(fractions: Array(repeating: 0.04, count: 25), missedModes: 0, fractionOffModes: 0)
        let bytes = FrameEncoder.encode(header: Self.header, snapshot: s, layers: .defaultLayers)
        #expect(bytes.count <= 8 * 1024, "\(bytes.count) bytes")
    }

    @Test func decoder_skipsUnknownSections_andRefusesHostileFrames() throws {
        var bytes = FrameEncoder.encode(header: Self.header, snapshot: Self.snapshot(), layers: [.fakes])
        bytes[48] = 99  // the first section's id becomes unknown
        let frame = try DecodedFrame(bytes)
        #expect(frame.fakes() == nil && frame.metrics() != nil)
        var wrongMagic = bytes; wrongMagic[0] = 0x48
        #expect(throws: DecodedFrame.Failure.self) { try DecodedFrame(wrongMagic) }
        var wrongVersion = bytes; wrongVersion[4] = 2
        #expect(throws: DecodedFrame.Failure.self) { try DecodedFrame(wrongVersion) }
        var outside = bytes; outside[56] = 0xFF; outside[57] = 0xFF
        #expect(throws: DecodedFrame.Failure.self) { try DecodedFrame(outside) }
        var hugeTable = bytes; hugeTable[42] = 0xFF
        #expect(throws: DecodedFrame.Failure.self) { try DecodedFrame(hugeTable) }
        for length in [0, 10, 47] {
            #expect(throws: DecodedFrame.Failure.self) { try DecodedFrame(Array(bytes.prefix(length))) }
        }
    }
}

@Suite struct FrameQuantizationTests {
    @Test func edges_clampAndNonFiniteIsZero() {
        #expect(FrameQuantization.coordinate(Float(2)) == 32767)
        #expect(FrameQuantization.coordinate(Float(-2)) == -32768)
        #expect(FrameQuantization.coordinate(Float.infinity) == 0)
        #expect(FrameQuantization.coordinate(Float(1)) == 16384)
        #expect(FrameQuantization.vector(Float(1), inverseScale: 1) == 127)
        #expect(FrameQuantization.vector(Float(-3), inverseScale: 1) == -127)
        #expect(FrameQuantization.probability(Float(-0.1)) == 0 && FrameQuantization.probability(Float(0.5)) == 128)
        #expect(FrameQuantization.density(Float(100)) == 255 && FrameQuantization.density(Float(1)) == 16)
        #expect(FrameQuantization.density(Float.nan) == 0)
    }
}
