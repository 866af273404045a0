import CEpoll
import Glibc

/// A thin wrapper over Linux epoll(7), used level-triggered: a descriptor is reported for as long as it
/// stays ready, so a handler may read or write a bounded amount per wake-up without losing events.
/// The only file besides `EventFD.swift` that imports CEpoll.
final class Epoll {
    /// Readiness bits as epoll reports them.
    struct Events: OptionSet {
        let rawValue: UInt32
        /// EPOLLIN: data (or EOF) to read.
        static let readable = Events(rawValue: EPOLLIN.rawValue)
        /// EPOLLOUT: room in the send buffer.
        static let writable = Events(rawValue: EPOLLOUT.rawValue)
        /// EPOLLERR: the socket failed.
        static let error = Events(rawValue: EPOLLERR.rawValue)
        /// EPOLLHUP: both directions are shut (or reset).
        static let hangUp = Events(rawValue: EPOLLHUP.rawValue)
    }

    /// The epoll descriptor.
    let fd: Int32
    private let capacity: Int
    private let events: UnsafeMutablePointer<epoll_event>

    /// Creates an epoll instance reporting up to `capacity` events per wait.
    init(capacity: Int = 512) throws(SocketError) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw .system(call: "epoll_create1", errno: errno) }
        self.capacity = capacity
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        close(fd)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, token: UInt64, events wanted: Events) {
        var event = epoll_event()
        event.events = wanted.rawValue
        event.data.u64 = token
        _ = epoll_ctl(fd, operation, descriptor, &event)
    }

    /// Registers `descriptor` with `token` (returned by `wait`) for `events`.
    func add(_ descriptor: Int32, token: UInt64, events: Events) {
        control(EPOLL_CTL_ADD, descriptor, token: token, events: events)
    }

    /// Changes the events watched for `descriptor`.
    func modify(_ descriptor: Int32, token: UInt64, events: Events) {
        control(EPOLL_CTL_MOD, descriptor, token: token, events: events)
    }

    /// Stops watching `descriptor` (closing it does the same once no duplicate remains).
    func remove(_ descriptor: Int32) {
        control(EPOLL_CTL_DEL, descriptor, token: 0, events: [])
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body(token, events)` for each ready descriptor.
    func wait(timeoutMilliseconds: Int32, _ body: (UInt64, Events) -> Void) {
        let count = epoll_wait(fd, events, Int32(capacity), timeoutMilliseconds)
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            body(events[index].data.u64, Events(rawValue: events[index].events))
        }
    }
}
