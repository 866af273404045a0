import Glibc

/// epoll(7) and eventfd(2), resolved at run time.
///
/// Why: Swift's Glibc module map does not export `<sys/epoll.h>` or `<sys/eventfd.h>`, and adding a C
/// shim target means editing Package.swift (owned by the lead). The functions live in libc, which is
/// always loaded, so `dlsym` finds them; constants and the `epoll_event` layout are copied from the
/// Linux UAPI headers (`include/uapi/linux/eventpoll.h`, `include/uapi/linux/eventfd.h`).
enum LinuxEventAPI {
    // include/uapi/linux/eventpoll.h
    static let EPOLLIN: UInt32 = 0x001
    static let EPOLLOUT: UInt32 = 0x004
    static let EPOLLERR: UInt32 = 0x008
    static let EPOLLHUP: UInt32 = 0x010
    static let EPOLL_CTL_ADD: Int32 = 1
    static let EPOLL_CTL_DEL: Int32 = 2
    static let EPOLL_CTL_MOD: Int32 = 3
    static let EPOLL_CLOEXEC: Int32 = 0o2000000
    // include/uapi/linux/eventfd.h (same values as O_NONBLOCK / O_CLOEXEC)
    static let EFD_NONBLOCK: Int32 = 0o4000
    static let EFD_CLOEXEC: Int32 = 0o2000000

    /// `struct epoll_event` is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).
    #if arch(x86_64)
    static let eventSize = 12
    #else
    static let eventSize = 16
    #endif
    /// Offset of `data` inside `struct epoll_event`.
    static let dataOffset = eventSize - 8

    typealias CreateFunction = @convention(c) (Int32) -> Int32
    typealias ControlFunction = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias WaitFunction = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
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
