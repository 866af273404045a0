import CEpoll
import Glibc

/// A Linux eventfd(2) used to wake the I/O thread from other threads (a counter; reads reset it).
final class EventFD {
    /// The descriptor to register with epoll.
    let fd: Int32

    /// Creates a non-blocking eventfd.
    init() throws(SocketError) {
        fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw .system(call: "eventfd", errno: errno) }
    }

    deinit { close(fd) }

    /// Makes the descriptor readable (wakes epoll_wait). Safe from any thread.
    func signal() {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Resets the counter after a wake-up.
    func drain() {
        var value: UInt64 = 0
        _ = read(fd, &value, 8)
    }
}
