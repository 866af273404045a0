import GANEngine

/// Encodes one binary frame exactly as docs/protocol.md §3 lays it out (header §3.1, sections §3.2): the table
/// there is the specification, this is its one implementation. Little-endian, every section 4-byte aligned,
/// sections in id order; the bytes are computed once per frame per distinct layer set and shared by every
/// subscriber.
public enum FrameEncoder {
    /// D's probability "real" at the shown fakes and at the shown real samples (section 10).
    public struct Predictions: Sendable {
        /// One per shown fake.
        public var fakes: [Float]
        /// One per `data.real` sample.
        public var real: [Float]
        /// Both lists.
        public init(fakes: [Float], real: [Float]) {
            self.fakes = fakes
            self.real = real
        }
    }

    /// Metrics in section 8's order (docs/protocol.md §3.2), NaN where not available.
    public static func metrics(_ m: ViewMetrics) -> [Float] {
        let coverage = m.modeCoverage
        return [m.discriminatorLoss, m.generatorLoss, m.generatorGradientNorm,
                Float(m.divergence.klRealFake), Float(m.divergence.klFakeReal), Float(m.divergence.js),
                Float(m.divergenceFloor.js), Float(m.divergenceFloor.klRealFake), Float(m.divergenceFloor.klFakeReal),
                Float(m.fractionOutside),
                coverage.map { Float($0.missedModes) } ?? .nan, coverage.map { Float($0.fractions.count) } ?? .nan,
                coverage.map { Float($0.fractionOffModes) } ?? .nan]
    }

    /// The frame: header, section table, then the sections `layers` asks for that the snapshot has (metrics always).
    public static func encode(header: FrameHeader, snapshot s: ViewSnapshot, layers: FrameLayers,
                              predictions: Predictions? = nil) -> [UInt8] {
        // Plan the sections: (id, byte length without padding, writer).
        var sections: [(FrameSection, Int, (inout FrameWriter) -> Void)] = []
        let fakeCount = s.fakes.count / 2
        if layers.contains(.fakes) {
            sections.append((.fakes, 4 + 4 * fakeCount, { w in w.u32(fakeCount); w.coordinates(s.fakes) }))
        }
        if layers.contains(.arrows) {
            sections.append((.arrows, 8 + 2 * fakeCount, { w in w.u32(fakeCount); w.vectors(s.fakePush) }))
        }
        if layers.contains(.dgrad) {
            sections.append((.dgrad, 8 + 2 * fakeCount, { w in w.u32(fakeCount); w.vectors(s.fakeDiscriminatorGradient) }))
        }
        if layers.contains(.field) {
            let r = s.decisionResolution
            sections.append((.field, 4 + r * r, { w in w.u16(r); w.u16(0); w.probabilities(s.decisionField) }))
        }
        let gridCount = s.gridResolution * s.gridResolution
        if layers.contains(.grid) {
            sections.append((.grid, 8 + 2 * gridCount, { w in w.u16(s.gridResolution); w.u16(0); w.vectors(s.gridPush) }))
        }
        if layers.contains(.gridDgrad) {
            sections.append((.gridDgrad, 8 + 2 * gridCount,
                             { w in w.u16(s.gridResolution); w.u16(0); w.vectors(s.gridDiscriminatorGradient) }))
        }
        if layers.contains(.manifold), let m = s.manifold, m.noiseDimension <= 2 {
            let points = m.points.count / 2, densities = m.cellDensities.count
            sections.append((.manifold, 12 + 4 * points + densities, { w in
                w.u8(m.noiseDimension); w.u8(0); w.u16(m.cells); w.u32(points); w.u32(densities)
                w.coordinates(m.points)
                for d in m.cellDensities { w.u8(Int(FrameQuantization.density(d))) }
            }))
        }
        let metrics = metrics(s.metrics)
        sections.append((.metrics, 4 + 4 * metrics.count, { w in w.u16(metrics.count); w.u16(0); for v in metrics { w.f32(v) } }))
        if layers.contains(.modes), let coverage = s.metrics.modeCoverage, !coverage.fractions.isEmpty {
            let fractions = coverage.fractions.map(Float.init)
            sections.append((.modes, 4 + fractions.count, { w in w.u16(fractions.count); w.u16(0); w.probabilities(fractions) }))
        }
        if layers.contains(.predictions), let p = predictions {
            sections.append((.predictions, 8 + p.fakes.count + p.real.count, { w in
                w.u32(p.fakes.count); w.u32(p.real.count); w.probabilities(p.fakes); w.probabilities(p.real)
            }))
        }

        // Lay them out: header, table, then each section at a multiple of 4.
        let tableEnd = FrameHeader.byteCount + FrameHeader.sectionEntryBytes * sections.count
        var offsets: [Int] = []
        var end = tableEnd
        for (_, length, _) in sections {
            offsets.append(end)
            end += (length + 3) & ~3
        }
        var bytes = [UInt8](repeating: 0, count: end)
        bytes.withUnsafeMutableBytes { raw in
            var w = FrameWriter(raw)
            for byte in FrameHeader.magic { w.u8(Int(byte)) }
            w.u16(Int(FrameHeader.version)); w.u16(FrameHeader.byteCount)
            let epoch = UInt64(max(0, header.epoch))
            w.u32(Int(epoch & 0xFFFF_FFFF)); w.u32(Int(epoch >> 32))
            w.f64(header.time)
            w.u32(Int(header.sequence)); w.u32(Int(header.generation)); w.u32(Int(header.viewers))
            w.f32(header.epochsPerSecond)
            w.u8(Int(header.state.rawValue)); w.u8(Int(header.subStep)); w.u16(sections.count); w.u32(0)
            for (index, (id, length, _)) in sections.enumerated() {
                w.u16(Int(id.rawValue)); w.u16(0); w.u32(offsets[index]); w.u32(length)
            }
            for (index, (_, length, write)) in sections.enumerated() {
                w.offset = offsets[index]
                write(&w)
                assert(w.offset == offsets[index] + length, "section \(sections[index].0) wrote \(w.offset - offsets[index]) of \(length) bytes")
            }
        }
        return bytes
    }
}

/// Little-endian stores into a preallocated frame.
struct FrameWriter {
    private let raw: UnsafeMutableRawBufferPointer
    /// Where the next store goes.
    var offset = 0

    init(_ raw: UnsafeMutableRawBufferPointer) { self.raw = raw }

    mutating func u8(_ v: Int) { raw[offset] = UInt8(truncatingIfNeeded: v); offset += 1 }
    mutating func u16(_ v: Int) { raw.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: offset, as: UInt16.self); offset += 2 }
    mutating func u32(_ v: Int) { raw.storeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, toByteOffset: offset, as: UInt32.self); offset += 4 }
    mutating func f32(_ v: Float) { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self); offset += 4 }
    mutating func f64(_ v: Double) { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: offset, as: UInt64.self); offset += 8 }

    /// (x, y) pairs as i16 coordinates.
    mutating func coordinates(_ values: [Float]) {
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                raw.storeBytes(of: UInt16(bitPattern: FrameQuantization.coordinate(v[i])).littleEndian, toByteOffset: offset, as: UInt16.self)
                offset += 2
            }
        }
    }

    /// f32 scale, then every component as i8.
    mutating func vectors(_ values: [Float]) {
        values.withUnsafeBufferPointer { v in
            let scale = FrameQuantization.vectorScale(v)
            f32(scale)
            let inverse: Float = scale > 0 ? 1 / scale : 0
            for i in 0..<v.count {
                raw[offset] = UInt8(bitPattern: FrameQuantization.vector(v[i], inverseScale: inverse))
                offset += 1
            }
        }
    }

    /// Every value as a u8 probability.
    mutating func probabilities(_ values: [Float]) {
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                raw[offset] = FrameQuantization.probability(v[i])
                offset += 1
            }
        }
    }
}
