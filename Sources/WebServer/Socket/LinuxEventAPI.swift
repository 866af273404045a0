import Glibc

/// epoll(7) and eventfd(2), resolved at run time.
///
/// Why: Swift's Glibc module map does not export `<sys/epoll.h>` or `<sys/eventfd.h>`, and adding a C
/// shim target means editing Package.swift (owned by the lead). The functions live in libc, which is
/// always loaded, so `dlsym` finds them; constants and the `epoll_event` layout are copied from the
/// Linux UAPI headers (`include/uapi/linux/eventpoll.h`, `include/uapi/linux/eventfd.h`).
enum LinuxEventAPI {
    // include/uapi/linux/eventpoll.h
    /// Readable.
    static let EPOLLIN: UInt32 = 0x001
    /// Writable.
    static let EPOLLOUT: UInt32 = 0x004
    /// Error condition.
    static let EPOLLERR: UInt32 = 0x008
    /// Hang-up.
    static let EPOLLHUP: UInt32 = 0x010
    /// Register a descriptor.
    static let EPOLL_CTL_ADD: Int32 = 1
    /// Unregister a descriptor.
    static let EPOLL_CTL_DEL: Int32 = 2
    /// Change a descriptor's events.
    static let EPOLL_CTL_MOD: Int32 = 3
    /// Close the epoll descriptor on exec.
    static let EPOLL_CLOEXEC: Int32 = 0o2000000
    // include/uapi/linux/eventfd.h (same values as O_NONBLOCK / O_CLOEXEC)
    /// Non-blocking eventfd.
    static let EFD_NONBLOCK: Int32 = 0o4000
    /// Close the eventfd on exec.
    static let EFD_CLOEXEC: Int32 = 0o2000000

    /// `struct epoll_event` is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).
    #if arch(x86_64)
    /// Packed x86-64 layout.
    static let eventSize = 12
    #else
    /// Natural alignment elsewhere.
    static let eventSize = 16
    #endif
    /// Offset of `data` inside `struct epoll_event`.
    static let dataOffset = eventSize - 8

    /// `int epoll_create1(int flags)`.
    typealias CreateFunction = @convention(c) (Int32) -> Int32
    /// `int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)`.
    typealias ControlFunction = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    /// `int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)`.
    typealias WaitFunction = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    /// `int eventfd(unsigned int initval, int flags)`.
    typealias EventFDFunction = @convention(c) (UInt32, Int32) -> Int32

    private static let libc: UnsafeMutableRawPointer? = dlopen(nil, RTLD_NOW)

    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let pointer = dlsym(libc, name) else {
            preconditionFailure("libc has no \(name): this server needs Linux epoll")
        }
        return unsafeBitCast(pointer, to: type)
    }

    /// `epoll_create1(flags)`.
    static let epollCreate1: CreateFunction = symbol("epoll_create1", as: CreateFunction.self)
    /// `epoll_ctl(epfd, op, fd, event)`.
    static let epollControl: ControlFunction = symbol("epoll_ctl", as: ControlFunction.self)
    /// `epoll_wait(epfd, events, maxevents, timeout)`.
    static let epollWait: WaitFunction = symbol("epoll_wait", as: WaitFunction.self)
    /// `eventfd(initval, flags)`.
    static let eventFD: EventFDFunction = symbol("eventfd", as: EventFDFunction.self)
}
