import CZlib
import Foundation

/// permessage-deflate (RFC 7692) with zlib's raw DEFLATE: compressing one message, and the inflate stream of one
/// connection. This is the only file that imports CZlib.
///
/// The server always negotiates `server_no_context_takeover`, so every server message is compressed on its own
/// (a fresh, reset stream): the same compressed bytes are valid for every client, and a broadcast is compressed
/// once. Deflate streams are pooled per window size, because `deflateInit2` allocates ~256 KiB.
public enum WebSocketDeflate {
    /// RFC 7692 §7.2.1: a sync flush ends with this empty stored block; the sender removes it and the receiver
    /// appends it again (§7.2.2) before inflating.
    public static let syncFlushTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
    /// zlib level: the default (6), the usual trade-off; a broadcast frame is compressed once for all subscribers.
    static let level: Int32 = Z_DEFAULT_COMPRESSION
    /// zlib memLevel (the default, 8): 128 KiB of hash state beside the window.
    static let memoryLevel: Int32 = 8

    /// The message compressed as RFC 7692 §7.2.1 sends it (DEFLATE, sync flush, tail removed; an empty result
    /// becomes the single octet 0x00, §7.2.3.6), with an LZ77 window of at most `windowBits` (9...15).
    public static func compress(_ payload: [UInt8], windowBits: Int = 15) -> [UInt8] {
        precondition((9...15).contains(windowBits), "WebSocketDeflate.compress: windowBits must be 9...15, got \(windowBits)")
        let deflater = DeflaterPool.shared.take(windowBits: windowBits)
        defer { DeflaterPool.shared.give(deflater) }
        return payload.withUnsafeBytes { deflater.compress($0) }
    }

    /// The size of `compress(payload)`: bytes per message on the wire before the frame header (for benchmarks and docs).
    public static func compressedSize(of payload: [UInt8], windowBits: Int = 15) -> Int {
        compress(payload, windowBits: windowBits).count
    }
}

/// One zlib deflate stream, reset before each message (no context takeover). Not thread-safe: the pool hands
/// each to one caller at a time.
final class WebSocketDeflater {
    /// The window size it was created with.
    let windowBits: Int
    // zlib keeps a pointer back to the z_stream (deflateStateCheck), so it must not move: heap-allocated.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    /// A raw-DEFLATE stream (negative windowBits: no zlib header or checksum, RFC 7692 §7.2.1).
    init(windowBits: Int) {
        self.windowBits = windowBits
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, WebSocketDeflate.level, Z_DEFLATED, -Int32(windowBits), WebSocketDeflate.memoryLevel,
                                   Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses one whole message from a fresh state.
    func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        deflateReset(stream)
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
        // deflateBound covers one Z_FINISH call; a sync flush adds at most an empty stored block, hence the margin.
        var capacity = Int(deflateBound(stream, uLong(input.count))) + 16
        var output: [UInt8] = []
        while true {
            var isFlushed = false
            let piece = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                stream.pointee.next_out = buffer.baseAddress!
                stream.pointee.avail_out = uInt(buffer.count)
                _ = deflate(stream, Z_SYNC_FLUSH)
                count = buffer.count - Int(stream.pointee.avail_out)
                // The flush is complete once deflate left room in the output (zlib manual, deflate()).
                isFlushed = stream.pointee.avail_out != 0 && stream.pointee.avail_in == 0
            }
            if output.isEmpty { output = piece } else { output.append(contentsOf: piece) }
            if isFlushed { break }
            capacity = 64 << 10
        }
        if output.count >= 4 && output[(output.count - 4)...].elementsEqual(WebSocketDeflate.syncFlushTail) { output.removeLast(4) }
        return output.isEmpty ? [0x00] : output
    }
}

/// Idle deflate streams by window size, shared by every thread that compresses (handlers, broadcasters).
final class DeflaterPool: @unchecked Sendable {
    /// The process-wide pool.
    static let shared = DeflaterPool()
    /// Idle streams kept per window size; more are freed (each holds ~256 KiB).
    static let maxIdle = 4
    private let lock = NSLock()
    private var idle: [Int: [WebSocketDeflater]] = [:]

    /// An idle stream for `windowBits`, or a new one.
    func take(windowBits: Int) -> WebSocketDeflater {
        lock.lock()
        let reused = idle[windowBits]?.popLast()
        lock.unlock()
        return reused ?? WebSocketDeflater(windowBits: windowBits)
    }

    /// Returns a stream for reuse.
    func give(_ deflater: WebSocketDeflater) {
        lock.lock()
        defer { lock.unlock() }
        if idle[deflater.windowBits, default: []].count < Self.maxIdle { idle[deflater.windowBits, default: []].append(deflater) }
    }
}

/// The inflate side of one connection (RFC 7692 §7.2.2): a zlib stream with a 32 KiB window that, with the
/// client's context takeover, carries over from message to message; with `client_no_context_takeover` it is
/// reset after each. Output is bounded while it is produced, so a deflate bomb stops at the message limit.
///
/// A reference type (zlib state cannot be copied): a `WebSocketConnectionMachine` holding one shares it between
/// copies, which the server never makes.
public final class WebSocketInflater: @unchecked Sendable {
    /// What one `inflate` call found.
    public enum Result: Sendable, Equatable {
        /// The bytes were inflated within the limit.
        case ok
        /// The message would exceed the limit (1009); inflating stopped there.
        case tooBig
        /// The bytes are not valid DEFLATE data (1007).
        case corrupt
    }

    /// True when the stream is reset after every message.
    public let resetsAfterEachMessage: Bool
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    /// The current message hit a final (BFINAL) block; the rest of it is ignored.
    private var isMessageEnded = false

    /// A raw-inflate stream accepting any window up to 15 bits (so whatever window the client used).
    public init(resetsAfterEachMessage: Bool) {
        self.resetsAfterEachMessage = resetsAfterEachMessage
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "inflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates one frame's compressed payload, appending to `output`, which may grow to at most `limit` bytes.
    public func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) -> Result {
        guard !isMessageEnded, input.count > 0 else { return .ok }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            var status: Int32 = Z_OK
            let produced: Int = chunk.withUnsafeMutableBytes { raw in
                stream.pointee.next_out = raw.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(raw.count)
                status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                return raw.count - Int(stream.pointee.avail_out)
            }
            if produced > limit - output.count { return .tooBig }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return .ok }
            case Z_BUF_ERROR:
                return .ok   // no progress possible: every byte consumed, output flushed
            case Z_STREAM_END:
                // A block with BFINAL set ended the DEFLATE stream (allowed, RFC 7692 §7.2.3.4): the rest of the
                // message (padding, the appended tail) is ignored; the next message starts a new stream.
                isMessageEnded = true
                return .ok
            default:
                return .corrupt
            }
        }
    }

    /// Ends a message: inflates the sync-flush tail (§7.2.2) and resets the stream when there is no context takeover.
    public func finishMessage(into output: inout [UInt8], limit: Int) -> Result {
        let result = isMessageEnded ? .ok : WebSocketDeflate.syncFlushTail.withUnsafeBytes { inflate($0, into: &output, limit: limit) }
        if resetsAfterEachMessage {
            inflateReset(stream)
        } else if isMessageEnded {
            // Keep the window across the stream end so the client's next message may still refer back to it.
            var window = [UInt8](repeating: 0, count: 1 << 15)
            var length: uInt = 0
            inflateGetDictionary(stream, &window, &length)
            inflateReset(stream)
            inflateSetDictionary(stream, window, length)
        }
        isMessageEnded = false
        return result
    }
}
