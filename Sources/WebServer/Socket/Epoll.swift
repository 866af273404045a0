import Glibc

/// A thin wrapper over Linux epoll(7), used level-triggered: a descriptor is reported for as long as it
/// stays ready, so a handler may read or write a bounded amount per wake-up without losing events.
final class Epoll {
    /// Readiness bits as epoll reports them.
    struct Events: OptionSet {
        let rawValue: UInt32
        /// EPOLLIN: data (or EOF) to read.
        static let readable = Events(rawValue: LinuxEventAPI.EPOLLIN)
        /// EPOLLOUT: room in the send buffer.
        static let writable = Events(rawValue: LinuxEventAPI.EPOLLOUT)
        /// EPOLLERR: the socket failed.
        static let error = Events(rawValue: LinuxEventAPI.EPOLLERR)
        /// EPOLLHUP: both directions are shut (or reset).
        static let hangUp = Events(rawValue: LinuxEventAPI.EPOLLHUP)
    }

    /// The epoll descriptor.
    let fd: Int32
    private let capacity: Int
    private let buffer: UnsafeMutableRawPointer

    /// Creates an epoll instance reporting up to `capacity` events per wait.
    init(capacity: Int = 512) throws(SocketError) {
        fd = LinuxEventAPI.epollCreate1(LinuxEventAPI.EPOLL_CLOEXEC)
        guard fd >= 0 else { throw .system(call: "epoll_create1", errno: errno) }
        self.capacity = capacity
        buffer = .allocate(byteCount: capacity * LinuxEventAPI.eventSize, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, token: UInt64, events: Events) {
        withUnsafeTemporaryAllocation(byteCount: LinuxEventAPI.eventSize, alignment: 8) { raw in
            raw.storeBytes(of: events.rawValue, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: LinuxEventAPI.dataOffset, as: UInt64.self)
            _ = LinuxEventAPI.epollControl(fd, operation, descriptor, raw.baseAddress)
        }
    }

    /// Registers `descriptor` with `token` (returned by `wait`) for `events`.
    func add(_ descriptor: Int32, token: UInt64, events: Events) {
        control(LinuxEventAPI.EPOLL_CTL_ADD, descriptor, token: token, events: events)
    }

    /// Changes the events watched for `descriptor`.
    func modify(_ descriptor: Int32, token: UInt64, events: Events) {
        control(LinuxEventAPI.EPOLL_CTL_MOD, descriptor, token: token, events: events)
    }

    /// Stops watching `descriptor` (closing it does the same once no duplicate remains).
    func remove(_ descriptor: Int32) {
        control(LinuxEventAPI.EPOLL_CTL_DEL, descriptor, token: 0, events: [])
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body(token, events)` for each ready descriptor.
    func wait(timeoutMilliseconds: Int32, _ body: (UInt64, Events) -> Void) {
        let count = LinuxEventAPI.epollWait(fd, buffer, Int32(capacity), timeoutMilliseconds)
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let base = index * LinuxEventAPI.eventSize
            let events = buffer.loadUnaligned(fromByteOffset: base, as: UInt32.self)
            let token = buffer.loadUnaligned(fromByteOffset: base + LinuxEventAPI.dataOffset, as: UInt64.self)
            body(token, Events(rawValue: events))
        }
    }
}
