/// Why a share link cannot be made or opened: 413/409 `kind: "too-large"` when making (`RunFileResponses.share`); 400
/// `kind: "bad-field"` with `field: "share"` when opening (`StorageTemplates.blueprint(fromShare:)`).
public enum ShareLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The blob would exceed `ShareLinkCodec.maximumCharacters`.
    case tooLarge(characters: Int)
    /// The run's edit log overflowed: it cannot be reproduced from its start.
    case incompleteHistory
    /// The text is not a link this ganlab can read.
    case malformed(String)
    /// Made by a newer ganlab.
    case newerVersion(Int)
    /// Well formed, but a value is not allowed (unknown preset or setting, out of range, bad points).
    case invalidValue(String)

    /// One sentence for the page.
    public var description: String {
        switch self {
        case .tooLarge(let n):
            return "this run is too large for a share link (\(n) characters, at most \(ShareLinkCodec.maximumCharacters)); share the run's own link or export it"
        case .incompleteHistory:
            return "this run was changed too often to be replayed from its start; share the run's own link or export it"
        case .malformed(let why): return "not a valid share link: \(why)"
        case .newerVersion(let v): return "this share link was made by a newer ganlab (link version \(v))"
        case .invalidValue(let why): return "this share link cannot be opened: \(why)"
        }
    }
}
