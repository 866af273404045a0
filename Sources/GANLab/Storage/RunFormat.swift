import GANEngine

/// The saved-run format's constants, in one place (docs/run-format.md §1).
public enum RunFormat {
    /// `\x89GLR\r\n\x1a\n`: a non-ASCII first byte and the line endings a text-mode transfer would mangle.
    public static let magic: [UInt8] = [0x89, 0x47, 0x4C, 0x52, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Major version: a reader refuses a larger one.
    public static let major: UInt16 = 1
    /// Minor version: a minor only adds what an older file can do without (docs/run-format.md §1.6). 1.1: `TRNR` may
    /// hold the scalar `lastDiscriminatorPenalty`; 1.2: `HIST` rows carry the KL floors (10 values, not 8).
    public static let minor: UInt16 = 2
    /// Magic, versions, flags and body length.
    static let headerBytes = 24
    /// SHA-256 at the end.
    static let checksumBytes = 32
    /// The file name extension.
    public static let fileExtension = "ganrun"
    /// Values per metrics-history row (files from before the KL floors have 8; readers fill the rest with NaN).
    static let historyValues = 10

    /// The ranges of the numbers a file holds (docs/run-format.md §1.2, "Limits"). A value outside is refused
    /// naming the field, so a crafted file (the checksum is not a signature) cannot carry the lab's arithmetic
    /// past `Int` (an epoch near `Int.max` plus a metrics stride, milliseconds times 1000, a speed times 0.25).
    /// The lab then clamps speed and slow-motion pace into its own, narrower, configured ranges.
    enum Limits {
        /// Epochs: the trainer's, history rows', edits' (the trainer refuses a larger one too).
        static let epoch = 0...TrainerState.maximumEpoch
        /// `generation`: a frame header carries it as u32.
        static let generation = 0...Int(UInt32.max)
        /// `createdAt`, `updatedAt`: 1970-01-01 to 9999-12-31T23:59:59.999Z, in milliseconds.
        static let milliseconds = 0...253_402_300_799_999
        /// `epochsPerSecond`: positive and at most this (the lab clamps it into `LabConfiguration.epochsPerSecondRange`).
        static let maximumEpochsPerSecond = 1e9
        /// `secondsPerStep`: positive and at most a day (the lab falls back to its default outside its own range).
        static let maximumSecondsPerStep = 86_400.0
        /// `error`: the divergence message every viewer is sent with the run's state.
        static let maximumErrorBytes = 4_096
        /// Metrics-history values per row a reader accepts (1.0 writes 8).
        static let maximumHistoryValues = 1_000
    }

    /// Section tags, in the order a writer writes them (upper-case first letter: critical).
    enum Tag {
        static let meta = "META", data = "DATA", configuration = "CONF", trainer = "TRNR",
                   tensors = "TENS", history = "HIST", edits = "EDIT"
        /// Every section format 1.0 requires.
        static let required = [meta, data, configuration, trainer, tensors, history, edits]
    }

    /// Type bytes of a settings list (§1.3).
    enum SettingType: UInt8 {
        case integer = 1, number = 2, boolean = 3, choice = 4
    }

    /// Kinds of an edit-log entry (§1.2 `EDIT`, §4 edits).
    enum EditKind: UInt8 {
        case configure = 1, discriminatorStep = 2, generatorStep = 3
    }
}
