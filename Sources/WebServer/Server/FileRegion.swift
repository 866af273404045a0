import Glibc

/// An open file's bytes still to send, for a streamed static-file response. Owns the descriptor: it is closed
/// when the region is released (sent, or its connection closed), so an abandoned download leaks nothing.
final class FileRegion: @unchecked Sendable {
    /// The open file.
    let fd: Int32
    /// The next byte to send.
    var offset: Int
    /// One past the last byte to send.
    let end: Int

    /// Takes ownership of `fd`, to send bytes `offset..<end`.
    init(fd: Int32, offset: Int = 0, end: Int) {
        self.fd = fd
        self.offset = offset
        self.end = end
    }

    deinit { close(fd) }

    /// Bytes not yet sent.
    var remaining: Int { end - offset }
}
