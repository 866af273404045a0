import CSHA1

/// One-shot message digests from OpenSSL's libcrypto: SHA-1 for the WebSocket handshake (RFC 6455 §4.2.2)
/// and SHA-256 for whoever must store a fingerprint of a secret (the lab keeps only a hash of each run's token).
///
/// This is the only file that imports CSHA1.
public enum Digest {
    /// SHA-1 (20 bytes). FIPS 180-4; "abc" → a9993e36…
    public static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 20)  // SHA_DIGEST_LENGTH
        bytes.withUnsafeBufferPointer { source in
            digest.withUnsafeMutableBufferPointer { output in _ = SHA1(source.baseAddress, source.count, output.baseAddress) }
        }
        return digest
    }

    /// SHA-256 (32 bytes). FIPS 180-4; "abc" → ba7816bf…
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)  // SHA256_DIGEST_LENGTH
        bytes.withUnsafeBufferPointer { source in
            digest.withUnsafeMutableBufferPointer { output in _ = SHA256(source.baseAddress, source.count, output.baseAddress) }
        }
        return digest
    }
}
