/// Why bytes are not a run this ganlab can read (docs/run-format.md §1.4): one sentence each, mapped to a
/// 400 for an upload and to a move into `DATA_DIR/corrupt/` for a file on disk.
public enum RunFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a ganlab run file at all (wrong magic, or too short to have one).
    case foreign
    /// Written by a newer ganlab whose format this one cannot read.
    case newerVersion(major: Int, minor: Int)
    /// Reserved flags set.
    case unknownFlags(UInt32)
    /// Fewer bytes than the header announces.
    case truncated(actual: Int, expected: Int)
    /// More bytes than the header announces.
    case trailingBytes(extra: Int)
    /// The SHA-256 does not match the content.
    case checksumMismatch
    /// A critical section this reader does not know (added by a newer minor version).
    case unknownCriticalSection(String)
    /// A section that must be present is missing, or appears twice.
    case missingSection(String), repeatedSection(String)
    /// Content that does not follow the table (`part` names the section).
    case malformed(part: String, reason: String)
    /// A well-formed value that is not allowed (a setting out of range, an unknown setting or preset, bad data).
    case invalidValue(String)

    /// True for files a newer ganlab wrote (the page can say "update the server").
    public var isNewerVersion: Bool {
        switch self {
        case .newerVersion, .unknownCriticalSection: return true
        case .invalidValue(let m): return m.contains("newer ganlab")
        default: return false
        }
    }

    /// True for bytes cut short, as an interrupted write leaves them.
    public var isTruncated: Bool {
        if case .truncated = self { return true }
        return false
    }

    /// One sentence a person understands.
    public var description: String {
        switch self {
        case .foreign: return "not a ganlab run file"
        case .newerVersion(let major, let minor):
            return "saved by a newer ganlab (format \(major).\(minor)); this ganlab reads format \(RunFormat.major)"
        case .unknownFlags(let f): return "unknown flags 0x\(String(f, radix: 16)) (saved by a newer ganlab?)"
        case .truncated(let actual, let expected): return "truncated: \(actual) of \(expected) bytes"
        case .trailingBytes(let extra): return "damaged: \(extra) bytes longer than its header says"
        case .checksumMismatch: return "checksum mismatch: the file is damaged or was altered"
        case .unknownCriticalSection(let tag): return "section \(tag) is unknown here: saved by a newer ganlab"
        case .missingSection(let tag): return "section \(tag) is missing"
        case .repeatedSection(let tag): return "section \(tag) appears twice"
        case .malformed(let part, let reason): return "\(part): \(reason)"
        case .invalidValue(let m): return m
        }
    }
}
