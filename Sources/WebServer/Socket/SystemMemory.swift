import CEpoll

/// The C allocator, seen from the server: glibc keeps freed memory in its arenas for reuse rather than give it
/// back to the system, so a burst of large buffers (uploads, WebSocket messages) would stay resident after it.
enum SystemMemory {
    /// `malloc_trim(0)`: returns the free pages of every arena to the system (`madvise(MADV_DONTNEED)` on the
    /// unused parts of each heap, and shrinking the top). Takes each arena's lock in turn: call it once after a
    /// burst, off the I/O thread. Returns true when some memory was released.
    @discardableResult
    static func releaseFreedMemory() -> Bool { malloc_trim(0) == 1 }
}
