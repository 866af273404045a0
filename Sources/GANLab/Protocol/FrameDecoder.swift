/// Reads a binary frame (docs/protocol.md §3): the reference decoder the tests, `ganlab loadtest` and other
/// Swift clients use. It checks what a client must check (magic, major version, section bounds and alignment)
/// and skips sections it does not know, as the protocol asks.
public struct DecodedFrame: Sendable {
    /// Why bytes are not a frame.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was wrong.
        public var reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// The header fields.
    public var header: FrameHeader
    /// The version the frame says it has.
    public var version: UInt16
    /// Section id → its bytes (without padding), in table order.
    public var sections: [(id: UInt16, bytes: ArraySlice<UInt8>)]

    /// Reads just the header (cheap: what a load test needs per frame).
    public static func header(_ bytes: [UInt8]) throws(Failure) -> FrameHeader {
        try readHeader(bytes).header
    }

    /// Reads the header and the section table.
    public init(_ bytes: [UInt8]) throws(Failure) {
        let (header, version, count) = try Self.readHeader(bytes)
        var reader = FrameReader(bytes[...])
        var sections: [(UInt16, ArraySlice<UInt8>)] = []
        for index in 0..<count {
            reader.offset = FrameHeader.byteCount + FrameHeader.sectionEntryBytes * index
            let id = reader.u16(); _ = reader.u16()
            let offset = Int(reader.u32()), length = Int(reader.u32())
            guard offset % 4 == 0 else { throw Failure(reason: "section \(id) at offset \(offset) is not 4-byte aligned") }
            guard offset >= FrameHeader.byteCount + FrameHeader.sectionEntryBytes * count, offset <= bytes.count,
                  length <= bytes.count - offset else {
                throw Failure(reason: "section \(id) (\(length) bytes at \(offset)) lies outside the \(bytes.count)-byte frame")
            }
            sections.append((id, bytes[offset..<offset + length]))
        }
        self.header = header
        self.version = version
        self.sections = sections.map { (id: $0.0, bytes: $0.1) }
    }

    private static func readHeader(_ bytes: [UInt8]) throws(Failure) -> (header: FrameHeader, version: UInt16, count: Int) {
        guard bytes.count >= FrameHeader.byteCount else { throw Failure(reason: "\(bytes.count) bytes is shorter than the header") }
        guard Array(bytes[0..<4]) == FrameHeader.magic else { throw Failure(reason: "magic is not GLAB") }
        var r = FrameReader(bytes[...])
        r.offset = 4
        let version = r.u16()
        guard version == FrameHeader.version else {
            throw Failure(reason: "unknown frame version \(version)")
        }
        let headerBytes = Int(r.u16())
        guard headerBytes == FrameHeader.byteCount else { throw Failure(reason: "header length \(headerBytes), expected 48") }
        let low = UInt64(r.u32()), high = UInt64(r.u32())
        let time = r.f64()
        let sequence = r.u32(), generation = r.u32(), viewers = r.u32()
        let rate = r.f32()
        guard let state = FrameHeader.State(rawValue: r.u8()) else { throw Failure(reason: "unknown state byte") }
        let subStep = r.u8()
        let count = Int(r.u16())
        guard bytes.count >= FrameHeader.byteCount + FrameHeader.sectionEntryBytes * count else {
            throw Failure(reason: "section table of \(count) entries does not fit")
        }
        let header = FrameHeader(epoch: Int(low + high << 32), time: time, sequence: sequence, generation: generation,
                                 viewers: viewers, epochsPerSecond: rate, state: state, subStep: subStep)
        return (header, version, count)
    }

    /// The bytes of section `id`, if present.
    public func section(_ id: FrameSection) -> ArraySlice<UInt8>? {
        sections.first { $0.id == id.rawValue }?.bytes
    }

    /// Section ids present, in table order.
    public var sectionIDs: [UInt16] { sections.map(\.id) }

    /// Shown fakes (section 1), row-major (x, y).
    public func fakes() -> [Float]? {
        guard let s = section(.fakes) else { return nil }
        var r = FrameReader(s)
        let n = Int(r.u32())
        guard s.count >= 4 + 4 * n else { return nil }
        return (0..<2 * n).map { _ in FrameQuantization.coordinate(Int16(bitPattern: r.u16())) }
    }

    /// A vector section (2, 3: after u32 N; 5, 6: after u16 S, u16 0): the scale and the components.
    public func vectors(_ id: FrameSection) -> [Float]? {
        guard let s = section(id), s.count >= 8 else { return nil }
        var r = FrameReader(s)
        _ = r.u32()
        let scale = r.f32()
        return (0..<(s.count - 8)).map { _ in FrameQuantization.vector(Int8(bitPattern: r.u8()), scale: scale) }
    }

    /// The decision field (section 4): side R and R² probabilities, top row first.
    public func field() -> (resolution: Int, values: [Float])? {
        guard let s = section(.field), s.count >= 4 else { return nil }
        var r = FrameReader(s)
        let side = Int(r.u16()); _ = r.u16()
        guard s.count >= 4 + side * side else { return nil }
        return (side, (0..<side * side).map { _ in FrameQuantization.probability(r.u8()) })
    }

    /// The manifold (section 7).
    public func manifold() -> (noiseDimension: Int, cells: Int, points: [Float], densities: [Float])? {
        guard let s = section(.manifold), s.count >= 12 else { return nil }
        var r = FrameReader(s)
        let dimension = Int(r.u8()); _ = r.u8()
        let cells = Int(r.u16()), points = Int(r.u32()), densities = Int(r.u32())
        guard s.count >= 12 + 4 * points + densities else { return nil }
        let coordinates = (0..<2 * points).map { _ in FrameQuantization.coordinate(Int16(bitPattern: r.u16())) }
        return (dimension, cells, coordinates, (0..<densities).map { _ in FrameQuantization.density(r.u8()) })
    }

    /// The metrics (section 8), in §3.2's order.
    public func metrics() -> [Float]? {
        guard let s = section(.metrics), s.count >= 4 else { return nil }
        var r = FrameReader(s)
        let count = Int(r.u16()); _ = r.u16()
        guard s.count >= 4 + 4 * count else { return nil }
        return (0..<count).map { _ in r.f32() }
    }

    /// Per-mode coverage (section 9).
    public func modes() -> [Float]? {
        guard let s = section(.modes), s.count >= 4 else { return nil }
        var r = FrameReader(s)
        let count = Int(r.u16()); _ = r.u16()
        guard s.count >= 4 + count else { return nil }
        return (0..<count).map { _ in FrameQuantization.probability(r.u8()) }
    }

    /// Predictions (section 10): at the fakes, then at the real samples.
    public func predictions() -> (fakes: [Float], real: [Float])? {
        guard let s = section(.predictions), s.count >= 8 else { return nil }
        var r = FrameReader(s)
        let f = Int(r.u32()), n = Int(r.u32())
        guard s.count >= 8 + f + n else { return nil }
        return ((0..<f).map { _ in FrameQuantization.probability(r.u8()) }, (0..<n).map { _ in FrameQuantization.probability(r.u8()) })
    }
}

/// Little-endian loads from a slice (bounds-checked by the caller's length checks).
struct FrameReader {
    private let bytes: ArraySlice<UInt8>
    /// Offset from the slice's start.
    var offset = 0

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func u8() -> UInt8 { defer { offset += 1 }; return bytes[bytes.startIndex + offset] }
    mutating func u16() -> UInt16 { UInt16(u8()) | UInt16(u8()) << 8 }
    mutating func u32() -> UInt32 { UInt32(u16()) | UInt32(u16()) << 16 }
    mutating func f32() -> Float { Float(bitPattern: u32()) }
    mutating func f64() -> Double { Double(bitPattern: UInt64(u32()) | UInt64(u32()) << 32) }
}
