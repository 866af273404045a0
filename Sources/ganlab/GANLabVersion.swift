/// The version `ganlab --version` prints: the release, and the live-lab protocol version it speaks.
enum GANLabVersion {
    /// Semantic version of the release.
    static let release = "0.9.0"
    /// docs/protocol.md's version.
    static let protocolVersion = 1
    /// "0.9.0 (protocol 1)".
    static var text: String { "\(release) (protocol \(protocolVersion))" }
}
