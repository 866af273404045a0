// Throughput of the protocol codecs, built by Benchmarks/run.sh with swiftc -O over the same sources.
// Numbers are for information (docs and reports); no test asserts on them.

/// Runs `body` `repeats` times and returns the best wall-clock seconds.
func best(_ repeats: Int = 5, _ body: () -> Int) -> (seconds: Double, checksum: Int) {
    var bestSeconds = Double.infinity
    var checksum = 0
    for _ in 0..<repeats {
        let start = ContinuousClock.now
        checksum &+= body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        bestSeconds = min(bestSeconds, seconds)
    }
    return (bestSeconds, checksum)
}

func report(_ name: String, _ units: Double, _ unit: String, _ bytes: Double, _ result: (seconds: Double, checksum: Int)) {
    let rate = units / result.seconds
    let mbps = bytes / result.seconds / 1_048_576
    print("\(name.rightPad(56)) \(String(Int(rate)).leftPad(12)) \(unit)/s  \(String(Int(mbps)).leftPad(6)) MiB/s")
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    func rightPad(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

@main
struct CodecBench {
    static func main() {
        let browserGET = Array(("GET /api/runs/3/state?fields=metrics HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: application/json\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
            + "Connection: keep-alive\r\nReferer: http://127.0.0.1:8080/\r\nSec-Fetch-Dest: empty\r\nSec-Fetch-Mode: cors\r\n\r\n").utf8)
        let count = 100_000
        var pipelined: [UInt8] = []
        pipelined.reserveCapacity(browserGET.count * count)
        for _ in 0..<count { pipelined += browserGET }

        report("HTTP parse, \(browserGET.count)-byte GET, pipelined x\(count)", Double(count), "req",
               Double(pipelined.count), best {
            var parser = HTTPRequestParser()
            parser.append(pipelined)
            var parsed = 0
            while case .request(let request) = parser.next() { parsed += request.headers.count }
            return parsed
        })

        report("HTTP parse, one GET per append (keep-alive loop)", Double(count), "req", Double(pipelined.count), best {
            var parser = HTTPRequestParser()
            var parsed = 0
            for _ in 0..<count {
                parser.append(browserGET)
                if case .request = parser.next() { parsed += 1 }
            }
            return parsed
        })

        for bodySize in [65_536, 262_144, 1_048_576] {
            let chunked = Array("POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: \(bodySize)\r\n\r\n".utf8) + [UInt8](repeating: 7, count: bodySize)
            report("HTTP parse, \(bodySize / 1024) KiB body fed byte at a time", Double(chunked.count), "byte", Double(chunked.count), best(3) {
                var parser = HTTPRequestParser(limits: HTTPParserLimits(maxBodyBytes: 1 << 21))
                var total = 0
                for byte in chunked {
                    parser.append([byte])
                    if case .request(let request) = parser.next() { total += request.body.count }
                }
                return total
            })
        }

        let response = HTTPResponse.json(.ok, "{\"ok\":true,\"uptime\":12.5,\"connections\":3}")
        report("HTTP response serialise (JSON, keep-alive)", Double(count), "resp", 0, best {
            var total = 0
            for _ in 0..<count { total += response.serialized(date: "Sun, 06 Nov 1994 08:49:37 GMT", keepAlive: true, isHeadRequest: false).count }
            return total
        })

        report("HTTPDate.format", Double(count), "date", 0, best {
            var total = 0
            for second in 0..<count { total += HTTPDate.format(second * 997).utf8.count }
            return total
        })

        let megabyte = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let maskedBinary = WebSocketFrameEncoder.encodeMasked(opcode: .binary, payload: megabyte, maskingKey: [1, 2, 3, 4])
        report("WebSocket receive 1 MiB masked binary frames x64", 64, "frame", Double(64 * megabyte.count), best {
            var machine = WebSocketConnectionMachine(maxMessageBytes: 1 << 24)
            var total = 0
            for _ in 0..<64 {
                for case .deliver(.binary(let bytes)) in maskedBinary.withUnsafeBytes({ machine.receive($0) }) { total += bytes.count }
            }
            return total
        })

        let text = Array(String(repeating: "ascii text with some κόσμε and 🎉 ", count: 26_000).utf8)
        let maskedText = WebSocketFrameEncoder.encodeMasked(opcode: .text, payload: text, maskingKey: [9, 8, 7, 6])
        report("WebSocket receive ~1 MiB masked text (UTF-8 check) x64", 64, "frame", Double(64 * text.count), best {
            var machine = WebSocketConnectionMachine(maxMessageBytes: 1 << 24)
            var total = 0
            for _ in 0..<64 {
                for case .deliver(.text(let string)) in maskedText.withUnsafeBytes({ machine.receive($0) }) { total += string.utf8.count }
            }
            return total
        })

        let small = WebSocketFrameEncoder.encodeMasked(opcode: .text, payload: Array("{\"cmd\":\"step\"}".utf8), maskingKey: [1, 2, 3, 4])
        var smallStream: [UInt8] = []
        for _ in 0..<count { smallStream += small }
        report("WebSocket receive small text messages x\(count)", Double(count), "msg", Double(smallStream.count), best {
            var machine = WebSocketConnectionMachine(maxMessageBytes: 1 << 20)
            return smallStream.withUnsafeBytes { machine.receive($0) }.count
        })

        report("WebSocket encode 1 MiB binary frame x64", 64, "frame", Double(64 * megabyte.count), best {
            var total = 0
            for _ in 0..<64 { total += WebSocketFrameEncoder.encode(opcode: .binary, payload: megabyte).count }
            return total
        })
        // permessage-deflate (RFC 7692): a text like Autobahn 12.3's and a quantised binary frame like the lab's.
        let prose = Array(String(repeating: "Habe nun, ach! Philosophie, Juristerei und Medizin, und leider auch Theologie durchaus studiert. ", count: 1400).utf8.prefix(131_072))
        report("permessage-deflate compress 128 KiB text x32", 32, "msg", Double(32 * prose.count), best {
            var total = 0
            for _ in 0..<32 { total += WebSocketDeflate.compress(prose).count }
            return total
        })
        let compressedProse = WebSocketDeflate.compress(prose)
        let maskedCompressed: [UInt8] = {
            var frame = WebSocketFrameEncoder.encodeMasked(opcode: .text, payload: compressedProse, maskingKey: [9, 8, 7, 6])
            frame[0] |= 0x40
            return frame
        }()
        report("permessage-deflate receive 128 KiB text (inflate + UTF-8) x32", 32, "msg", Double(32 * prose.count), best {
            var machine = WebSocketConnectionMachine(maxMessageBytes: 1 << 24, deflate: WebSocketDeflateParameters())
            var total = 0
            for _ in 0..<32 {
                for case .deliver(.text(let string)) in maskedCompressed.withUnsafeBytes({ machine.receive($0) }) { total += string.utf8.count }
            }
            return total
        })
        let frame8K = (0..<8192).map { UInt8(($0 * 7 / 64) & 0xFF) }
        report("permessage-deflate compress 8 KiB quantised frame x1000", 1000, "msg", Double(1000 * frame8K.count), best {
            var total = 0
            for _ in 0..<1000 { total += WebSocketDeflate.compress(frame8K).count }
            return total
        })
    }
}
