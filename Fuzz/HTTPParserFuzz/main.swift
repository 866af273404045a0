// libFuzzer target for HTTPRequestParser (built by Fuzz/run.sh together with Sources/WebServer/HTTP and WebSocket).
//
// Input layout: bytes 0-1 choose a split offset, the rest is fed to the parser. Invariants checked
// (any violation traps, which libFuzzer reports as a crash):
//   - no trap anywhere in the parser, response serialiser, date parser, WebSocket handshake (with the
//     permessage-deflate negotiation), Host and Origin policies;
//   - an accepted permessage-deflate offer answers with server_no_context_takeover and a window of 9...15,
//     and the answer's own text negotiates to the same parameters;
//   - the results are the same whether the input is fed whole, split in two at the chosen offset,
//     or (for short inputs) one byte at a time;
//   - every request respects the limits; every error maps to a 4xx/5xx status;
//   - the head of a request whose body is arriving is shown exactly while a body is read, with a declared
//     length within the limit; reserving it (as the server does once the head is accepted) changes no result;
//   - a parsed date formats back to text that parses to the same instant.

/// Small limits so the fuzzer reaches every limit path with short inputs.
let fuzzLimits = HTTPParserLimits(maxRequestLineBytes: 256, maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 256)

/// Feeds the chunks and collects every result until needMoreData or the first error.
func parse(_ chunks: [ArraySlice<UInt8>]) -> [HTTPRequestParser.Result] {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var results: [HTTPRequestParser.Result] = []
    for chunk in chunks {
        parser.append(Array(chunk))
        while true {
            let result = parser.next()
            _ = parser.expectsContinue
            precondition((parser.headOfBodyInProgress != nil) == parser.isReadingBody, "head shown iff a body is read")
            if let declared = parser.declaredBodyLength {
                precondition(parser.isReadingBody && declared <= fuzzLimits.maxBodyBytes, "declared length \(declared)")
            }
            parser.reserveDeclaredBody()
            precondition(parser.allocatedByteCount >= parser.bufferedByteCount, "allocated under buffered")
            if result == .needMoreData { break }
            results.append(result)
            if case .error = result {
                precondition(!parser.isMidRequest && !parser.expectsContinue, "a dead parser reports no request in progress")
                return results
            }
        }
    }
    return results
}

/// Checks what a request or error must satisfy, and exercises the code that consumes requests.
func check(_ result: HTTPRequestParser.Result) {
    switch result {
    case .needMoreData:
        fatalError("needMoreData must not be collected")
    case .error(let error):
        precondition((400..<600).contains(error.status.code), "error \(error) maps to \(error.status)")
    case .request(let request):
        precondition(request.body.count <= fuzzLimits.maxBodyBytes, "body over the limit")
        precondition(request.headers.count <= fuzzLimits.maxHeaderCount, "too many headers")
        precondition(request.target.utf8.count <= fuzzLimits.maxRequestLineBytes, "target over the limit")
        _ = request.isKeepAlive
        _ = WebSocketHandshake.isUpgradeRequest(request)
        if case .success(let response) = WebSocketHandshake.respond(to: request, originPolicy: .sameOrigin) {
            precondition(response.status == .switchingProtocols)
        }
        if case .success(let accepted) = WebSocketHandshake.accept(request, originPolicy: .sameOrigin, allowsCompression: true),
           let deflate = accepted.deflate {
            precondition((9...15).contains(deflate.serverMaxWindowBits), "window \(deflate.serverMaxWindowBits)")
            let answer = deflate.responseHeaderValue
            precondition(answer.contains("server_no_context_takeover"))
            precondition(accepted.response.headers["Sec-WebSocket-Extensions"] == answer)
            precondition(WebSocketDeflateParameters.negotiate([answer]) == deflate, "answer \(answer) does not round-trip")
        }
        _ = WebSocketExtensionOffer.parse(request.headers.values("Sec-WebSocket-Extensions"))
        _ = HostPolicy(serverNames: ["127.0.0.1"], allowedHosts: [".example"]).allows(host: request.effectiveHost)
        _ = OriginPolicy.sameOrigin.allows(request)
        // X-Forwarded-For from a trusted proxy: the client is the peer or one of the forwarded addresses, with port 0.
        let peer = PeerAddress(host: "10.0.0.1", port: 4000)
        if let client = fuzzProxies.client(of: peer, headers: request.headers), client != peer {
            precondition(client.port == 0 && TrustedProxies.isValid(client.host), "client \(client) is not an address")
        }
        precondition(TrustedProxies.none.client(of: peer, headers: request.headers) == peer, "no proxy trusted, yet the peer changed")
        for (name, value) in request.headers {
            if let instant = HTTPDate.parse(value) {
                precondition(HTTPDate.parse(HTTPDate.format(instant)) == instant, "date round trip of \(value)")
            }
            var response = HTTPResponse(status: .ok, body: request.body)
            response.headers.add(name, value)
            let bytes = response.serialized(date: HTTPDate.format(0), keepAlive: request.isKeepAlive, isHeadRequest: request.method == .HEAD)
            precondition(!bytes.isEmpty)
        }
    }
}

/// Proxies trusted while fuzzing `X-Forwarded-For`: the peer's range and an IPv6 one.
let fuzzProxies = TrustedProxies(["10.0.0.0/8", "fd00::/8"])!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let input = FuzzInput(data, size) else { return 0 }
    let bytes = input.bytes, offset = input.splitOffset

    let whole = parse([bytes])
    whole.forEach(check)
    let split = parse([bytes[..<offset], bytes[offset...]])
    precondition(split == whole, "split at \(offset - bytes.startIndex) differs: \(split) vs \(whole)")
    if bytes.count <= 512 {
        let bytewise = parse(bytes.indices.map { bytes[$0...$0] })
        precondition(bytewise == whole, "bytewise differs: \(bytewise) vs \(whole)")
    }
    return 0
}
