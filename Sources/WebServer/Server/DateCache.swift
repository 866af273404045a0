import Foundation
import Glibc

/// The `Date` header value, formatted at most once per second (RFC 9110 §6.6.1).
final class DateCache: @unchecked Sendable {
    /// The process-wide cache.
    static let shared = DateCache()
    private let lock = NSLock()
    private var second = -1
    private var text = ""

    /// IMF-fixdate of the current second.
    func now() -> String {
        let current = Int(time(nil))
        lock.lock()
        defer { lock.unlock() }
        if current != second {
            second = current
            text = HTTPDate.format(current)
        }
        return text
    }
}
