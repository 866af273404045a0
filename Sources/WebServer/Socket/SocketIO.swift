import Glibc

/// Non-blocking read/write on a connected socket, with results a driver can switch over.
enum SocketIO {
    /// What a read produced.
    enum ReadResult {
        /// This many bytes were read into the buffer.
        case bytes(Int)
        /// Nothing to read now (EAGAIN).
        case wouldBlock
        /// The peer closed its sending side (read returned 0).
        case endOfFile
        /// The connection failed (reset, etc.).
        case failed(Int32)
    }

    /// What a write produced.
    enum WriteResult {
        /// This many bytes were accepted by the kernel.
        case written(Int)
        /// The socket's send buffer is full (EAGAIN).
        case wouldBlock
        /// The connection failed (EPIPE, ECONNRESET, ...).
        case failed(Int32)
    }

    /// Reads into `buffer`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(code)
        }
    }

    /// Writes from `bytes`; MSG_NOSIGNAL so a closed peer gives EPIPE instead of SIGPIPE.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteResult {
        while true {
            let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .written(n) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(code)
        }
    }

    /// Writes several buffers with one `sendmsg(2)` (gather I/O), MSG_NOSIGNAL as above.
    static func write(_ fd: Int32, _ buffers: [UnsafeRawBufferPointer]) -> WriteResult {
        if buffers.count == 1 { return write(fd, buffers[0]) }
        var vectors = buffers.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        return vectors.withUnsafeMutableBufferPointer { vectors in
            var message = msghdr()
            message.msg_iov = vectors.baseAddress
            message.msg_iovlen = vectors.count
            while true {
                let n = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                if n >= 0 { return .written(n) }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
                return .failed(code)
            }
        }
    }

    /// Sends up to `count` bytes of the file `source` from `offset` to the socket with `sendfile(2)`, straight
    /// from the page cache (no copy through user space). 0 bytes written means the file ended early.
    static func sendFile(to socket: Int32, from source: Int32, offset: Int, count: Int) -> WriteResult {
        var position = off_t(offset)
        while true {
            let n = Glibc.sendfile(socket, source, &position, min(count, 1 << 30))
            if n >= 0 { return .written(n) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(code)
        }
    }

    /// Sets the kernel send buffer (SO_SNDBUF; Linux doubles the value for its bookkeeping and stops autotuning
    /// it). False when the kernel refused.
    static func setSendBufferSize(_ fd: Int32, bytes: Int) -> Bool {
        var value = Int32(clamping: bytes)
        return setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    /// The monotonic clock in nanoseconds (timeouts must not jump with wall-clock changes).
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Raises the soft open-files limit to the hard limit so thousands of connections fit.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
