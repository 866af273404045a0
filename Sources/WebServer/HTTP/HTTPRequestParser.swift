/// An incremental HTTP/1.1 request parser (RFC 9112): bytes in, requests out, never a socket.
///
/// Feed bytes with `append`, then call `next()` until it says `.needMoreData`; pipelined
/// requests come out one per call. Work is linear in the input whatever the split: the parser
/// keeps a read index and a scan index (where the search for the next line end resumes), and
/// compacts its buffer only when the consumed prefix dominates it. Every buffer it grows is
/// bounded by `HTTPParserLimits`.
///
/// Line endings (RFC 9112 §2.2): CRLF, or a bare LF (a recipient MAY accept it) in the request
/// line, header fields and trailers; a bare CR anywhere is rejected. Chunk-size lines and the
/// CRLF after chunk data must be exact CRLF, since the MAY covers only start-line and fields.
public struct HTTPRequestParser: Sendable {
    /// What `next()` found.
    public enum Result: Sendable, Equatable {
        /// No complete request is buffered yet.
        case needMoreData
        /// A complete request; call `next()` again for a pipelined one.
        case request(HTTPRequest)
        /// The input is refused; the parser is dead and the connection must close after the error response.
        case error(HTTPParseError)
    }

    /// Where the parser is inside the current message.
    enum State: Sendable {
        /// Before or inside the request line.
        case requestLine
        /// Inside the header section.
        case headerLines
        /// Reading a Content-Length body; `remaining` bytes to go.
        case fixedBody(remaining: Int)
        /// Expecting a chunk-size line (RFC 9112 §7.1).
        case chunkSize
        /// Inside chunk data.
        case chunkData(remaining: Int)
        /// Expecting the CRLF that ends chunk data.
        case chunkDataEnd
        /// Inside the trailer section after the last chunk (RFC 9112 §7.1.2); fields are discarded.
        case trailerLines
        /// Refused; every later call returns this error.
        case failed(HTTPParseError)
    }

    /// Empty lines tolerated before a request line (RFC 9112 §2.2 says at least one).
    static let maxLeadingEmptyLines = 16
    /// Longest chunk-size line, extensions included, before the request is refused.
    static let maxChunkLineBytes = 4096

    /// The limits in force.
    public let limits: HTTPParserLimits
    /// Where the parser is in the current message.
    var state: State = .requestLine
    /// Received bytes; everything before `readIndex` is consumed.
    var buffer: [UInt8] = []
    /// First unconsumed byte of `buffer`.
    var readIndex = 0
    /// Where the search for the next LF resumes, so no byte is scanned twice.
    var scanIndex = 0
    /// Request line and headers of the request in progress.
    var head = RequestHead()
    /// Bytes of the header (or trailer) section so far, against `maxHeaderBytes`.
    var sectionBytes = 0
    /// Fields of the header (or trailer) section so far, against `maxHeaderCount`.
    var fieldCount = 0
    /// Empty lines skipped before the current request line.
    var leadingEmptyLines = 0
    /// The body received so far.
    var body: [UInt8] = []
    /// The current request's Content-Length once its head is complete (nil: no head yet, chunked, or no body).
    public private(set) var declaredBodyLength: Int?

    /// Creates a parser with the given limits.
    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits
    }

    /// Buffers bytes received from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if case .failed = state { return }
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Buffers bytes received from the peer.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Bytes held for the request in progress and any pipelined after it (unparsed input plus the body so far),
    /// for the server's memory budget.
    public var bufferedByteCount: Int { buffer.count - readIndex + body.count }

    /// Bytes the parser has allocated (its input buffer's and the body's capacity): what it costs in memory,
    /// which is what the server's memory budget counts (a buffer grown for one large read keeps its size).
    public var allocatedByteCount: Int { buffer.capacity + body.capacity }

    /// True while the current request's head is complete and its body (or chunked trailer) is still arriving.
    public var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailerLines: return true
        default: return false
        }
    }

    /// The request whose body is arriving, without its body (nil unless `isReadingBody`): the server checks it
    /// (Host, Origin, the memory budget) before it sends `100 Continue` or buffers the body.
    public var headOfBodyInProgress: HTTPRequest? {
        guard isReadingBody else { return nil }
        return HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers)
    }

    /// Allocates the whole declared body at once (after the server accepted the head), so a large upload is
    /// one allocation of exactly its size instead of a doubling series that may hold twice as much.
    public mutating func reserveDeclaredBody() {
        guard case .fixedBody = state, let length = declaredBodyLength, body.capacity < length else { return }
        body.reserveCapacity(length)
    }

    /// True while a request has been started but not completed (used for the slowloris header timeout).
    public var isMidRequest: Bool {
        switch state {
        case .requestLine: return readIndex < buffer.count
        case .failed: return false
        default: return true
        }
    }

    /// True while the current request's head said "Expect: 100-continue" and its body has not all arrived:
    /// the server should send "HTTP/1.1 100 Continue" once (RFC 9110 §10.1.1; ignored for HTTP/1.0 requests).
    public var expectsContinue: Bool {
        switch state {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd:
            return head.version == .http1_1 && head.headers.tokens("Expect").contains("100-continue")
        default:
            return false
        }
    }

    /// Bytes received after the last returned request (e.g. WebSocket frames sent right behind an upgrade request).
    public mutating func takeBufferedBytes() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer.removeAll()
        readIndex = 0
        scanIndex = 0
        return rest
    }

    /// The next complete request from the buffered bytes (call repeatedly for pipelined requests).
    /// After `.error` the parser is dead (the connection must close).
    public mutating func next() -> Result {
        while true {
            switch state {
            case .failed(let error):
                return .error(error)
            case .requestLine:
                guard let line = nextLine() else {
                    if pendingCount > limits.maxRequestLineBytes + 1 { return fail(classifyLongRequestLine()) }
                    return .needMoreData
                }
                if line.content.isEmpty {
                    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
                    leadingEmptyLines += 1
                    if leadingEmptyLines > Self.maxLeadingEmptyLines { return fail(.malformed("too many empty lines before the request line")) }
                    continue
                }
                if line.content.count > limits.maxRequestLineBytes { return fail(classifyLongRequestLine(line.content)) }
                if let error = parseRequestLine(line.content) { return fail(error) }
                state = .headerLines
            case .headerLines:
                guard let line = nextLine() else {
                    if sectionBytes + pendingCount > limits.maxHeaderBytes { return fail(.headersTooLarge) }
                    return .needMoreData
                }
                sectionBytes += line.consumed
                if sectionBytes > limits.maxHeaderBytes { return fail(.headersTooLarge) }
                if line.content.isEmpty {
                    switch finishHead() {
                    case .failure(let error): return fail(error)
                    case .success(let next):
                        state = next
                        if case .fixedBody(let length) = next { declaredBodyLength = length }
                        if case .requestLine = next { return emit() }
                    }
                    continue
                }
                fieldCount += 1
                if fieldCount > limits.maxHeaderCount { return fail(.headersTooLarge) }
                switch parseField(line.content) {
                case .failure(let error): return fail(error)
                case .success(let field): head.headers.add(field.name, key: field.key, field.value)
                }
            case .fixedBody(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken < remaining {
                    state = .fixedBody(remaining: remaining - taken)
                    return .needMoreData
                }
                return emit()
            case .chunkSize:
                guard let line = nextLine() else {
                    if pendingCount > Self.maxChunkLineBytes { return fail(.malformed("chunk-size line too long")) }
                    return .needMoreData
                }
                guard line.hadCR else { return fail(.malformed("chunk-size line must end with CRLF")) }
                switch parseChunkSize(line.content) {
                case .failure(let error): return fail(error)
                case .success(0):
                    sectionBytes = 0
                    fieldCount = 0
                    state = .trailerLines
                case .success(let size):
                    if size > limits.maxBodyBytes - body.count { return fail(.bodyTooLarge) }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken < remaining {
                    state = .chunkData(remaining: remaining - taken)
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard pendingCount >= 2 else {
                    if pendingCount == 1 && buffer[readIndex] != 0x0D { return fail(.malformed("chunk data must be followed by CRLF")) }
                    return .needMoreData
                }
                guard buffer[readIndex] == 0x0D && buffer[readIndex + 1] == 0x0A else {
                    return fail(.malformed("chunk data must be followed by CRLF"))
                }
                readIndex += 2
                state = .chunkSize
            case .trailerLines:
                guard let line = nextLine() else {
                    if sectionBytes + pendingCount > limits.maxHeaderBytes { return fail(.headersTooLarge) }
                    return .needMoreData
                }
                sectionBytes += line.consumed
                if sectionBytes > limits.maxHeaderBytes { return fail(.headersTooLarge) }
                if line.content.isEmpty { return emit() }
                fieldCount += 1
                if fieldCount > limits.maxHeaderCount { return fail(.headersTooLarge) }
                // RFC 9112 §7.1.2: trailer fields may be discarded; they must still be well-formed.
                if case .failure(let error) = parseField(line.content) { return fail(error) }
            }
        }
    }

    // MARK: - Buffer handling

    /// One line found in the buffer.
    struct Line {
        /// Indices of the line's bytes in `buffer`, without CR LF.
        var content: Range<Int>
        /// Bytes consumed, terminator included.
        var consumed: Int
        /// True when the terminator was CRLF rather than a bare LF.
        var hadCR: Bool
    }

    /// Unconsumed bytes in the buffer.
    var pendingCount: Int { buffer.count - readIndex }

    /// Finds and consumes the next LF-terminated line, resuming the search where the last one stopped.
    mutating func nextLine() -> Line? {
        let start = max(scanIndex, readIndex)
        guard let lf = buffer[start...].firstIndex(of: 0x0A) else {
            scanIndex = buffer.count
            return nil
        }
        let hadCR = lf > readIndex && buffer[lf - 1] == 0x0D
        let line = Line(content: readIndex..<(hadCR ? lf - 1 : lf), consumed: lf + 1 - readIndex, hadCR: hadCR)
        readIndex = lf + 1
        scanIndex = readIndex
        return line
    }

    /// Copies up to `count` buffered bytes into the body; returns how many.
    mutating func takeBody(upTo count: Int) -> Int {
        let taken = min(count, pendingCount)
        if taken > 0 {
            body.append(contentsOf: buffer[readIndex..<(readIndex + taken)])
            readIndex += taken
            scanIndex = max(scanIndex, readIndex)
        }
        return taken
    }

    /// Drops the consumed prefix when it is all of the buffer or the larger half of a big one (amortised O(1) per byte).
    mutating func compactIfWorthwhile() {
        if readIndex == 0 { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            scanIndex = 0
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
    }

    /// Moves to the failed state and reports the error.
    mutating func fail(_ error: HTTPParseError) -> Result {
        state = .failed(error)
        buffer = []
        body = []
        declaredBodyLength = nil
        readIndex = 0
        scanIndex = 0
        return .error(error)
    }

    /// Hands out the finished request and resets for the next one.
    mutating func emit() -> Result {
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, body: body)
        head = RequestHead()
        body = []
        declaredBodyLength = nil
        if readIndex == buffer.count && buffer.capacity > 1 << 16 {
            // A large read (a body) went through the input buffer: give that memory back now, not at the next read.
            buffer = []
            readIndex = 0
            scanIndex = 0
        }
        sectionBytes = 0
        fieldCount = 0
        leadingEmptyLines = 0
        state = .requestLine
        return .request(request)
    }
}
