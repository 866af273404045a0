/// The saved-run format's constants, in one place (docs/run-format.md §1).
public enum RunFormat {
    /// `\x89GLR\r\n\x1a\n`: a non-ASCII first byte and the line endings a text-mode transfer would mangle.
    public static let magic: [UInt8] = [0x89, 0x47, 0x4C, 0x52, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Major version: a reader refuses a larger one.
    public static let major: UInt16 = 1
    /// Minor version: minors only add sections.
    public static let minor: UInt16 = 0
    /// Magic, versions, flags and body length.
    static let headerBytes = 24
    /// SHA-256 at the end.
    static let checksumBytes = 32
    /// The file name extension.
    public static let fileExtension = "ganrun"
    /// Values per metrics-history row (files from before the KL floors have 8; readers fill the rest with NaN).
    static let historyValues = 10

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
