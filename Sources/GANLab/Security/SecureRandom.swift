import CRandom
import Glibc

/// Bytes from the operating system's CSPRNG (getrandom(2)), for secrets and unguessable codes: never the
/// engine's seeded `RandomSource`, whose stream anyone with the seed can replay.
///
/// This is the only file that imports CRandom.
public enum SecureRandom {
    /// `count` random bytes. getrandom(2) without flags blocks only until the kernel's pool is first
    /// initialised (early boot); afterwards it never fails for requests of up to 256 bytes, but EINTR is retried.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition((0...256).contains(count), "SecureRandom.bytes: ask for 0...256 bytes, not \(count)")
        var result = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = result.withUnsafeMutableBytes { getrandom($0.baseAddress! + filled, count - filled, 0) }
            if n > 0 { filled += n; continue }
            if n < 0 && errno == EINTR { continue }
            // A kernel without getrandom (before 3.17) is not supported: refusing beats a predictable secret.
            preconditionFailure("getrandom failed: errno \(errno)")
        }
        return result
    }

    /// A uniform integer in 0..<bound (rejection sampling, so no value is more likely than another).
    public static func index(below bound: Int) -> Int {
        precondition(bound > 0 && bound <= 256, "SecureRandom.index: bound 1...256")
        let limit = 256 - 256 % bound
        while true {
            for byte in bytes(16) where Int(byte) < limit { return Int(byte) % bound }
        }
    }
}
