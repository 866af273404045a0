/// The per-frame facts of the binary frame header (docs/protocol.md §3.1) other than the section table.
public struct FrameHeader: Sendable, Equatable {
    /// The run's play state as the header's `state` byte says it.
    public enum State: UInt8, Sendable {
        case paused = 0, playing = 1, slowMotion = 2, failed = 3
    }

    /// ASCII "GLAB".
    public static let magic: [UInt8] = [0x47, 0x4C, 0x41, 0x42]
    /// The binary frame version (docs/protocol.md, "version 1").
    public static let version: UInt16 = 1
    /// Bytes before the section table.
    public static let byteCount = 48
    /// Bytes per section-table entry.
    public static let sectionEntryBytes = 12

    /// The trainer's epoch.
    public var epoch: Int
    /// Server clock when computed, milliseconds since 1970-01-01 UTC.
    public var time: Double
    /// Per-run count of computed frames.
    public var sequence: UInt32
    /// See docs/protocol.md, "Words": never interpolate across a change.
    public var generation: UInt32
    /// Connections watching the run.
    public var viewers: UInt32
    /// Measured training rate over the last second.
    public var epochsPerSecond: Float
    /// Paused, playing, slow motion or failed.
    public var state: State
    /// 0 for whole epochs; 1…10 in slow motion (§3.4).
    public var subStep: UInt8

    /// A header from its fields.
    public init(epoch: Int, time: Double, sequence: UInt32, generation: UInt32, viewers: UInt32, epochsPerSecond: Float,
                state: State, subStep: UInt8) {
        self.epoch = epoch
        self.time = time
        self.sequence = sequence
        self.generation = generation
        self.viewers = viewers
        self.epochsPerSecond = epochsPerSecond
        self.state = state
        self.subStep = subStep
    }
}

/// The section ids of docs/protocol.md §3.2.
public enum FrameSection: UInt16, Sendable, CaseIterable {
    case fakes = 1, arrows = 2, dgrad = 3, field = 4, grid = 5, gridDgrad = 6, manifold = 7, metrics = 8, modes = 9,
         predictions = 10
}
