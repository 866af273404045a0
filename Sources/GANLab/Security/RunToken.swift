import WebServer

/// A run's control secret (docs/protocol.md, "Words"): 128 bits from the OS CSPRNG as 32 lowercase hex
/// characters. The lab keeps only its SHA-256; checks compare hashes in constant time, so neither the
/// stored form nor the timing of a refusal tells an attacker anything about the token.
public struct RunToken: Sendable, Equatable, CustomStringConvertible {
    /// Random bytes per token.
    public static let byteCount = 16

    /// The token as the creator receives it.
    public let text: String

    /// A fresh token.
    public static func generate() -> RunToken {
        RunToken(text: SecureRandom.bytes(byteCount).map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }.joined())
    }

    /// Wraps a token text as given (no validation: `matches` decides).
    public init(text: String) { self.text = text }

    /// SHA-256 of the token's UTF-8 text: what a run stores and archives.
    public var hash: [UInt8] { Digest.sha256(Array(text.utf8)) }

    /// Never the token itself, so an accidental `print` or log line leaks nothing.
    public var description: String { "RunToken(…)" }

    /// True when `text` hashes to `storedHash`, compared in constant time.
    public static func matches(_ text: String, storedHash: [UInt8]) -> Bool {
        // Bound the work an attacker can ask for; a real token is 32 characters.
        guard text.utf8.count <= 256 else { return false }
        return ConstantTime.equals(Digest.sha256(Array(text.utf8)), storedHash)
    }
}

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// Byte-wise equality in time that depends only on the lengths.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
