import WebServer

/// Drives a parser over byte chunks and collects every non-`needMoreData` result, stopping at the first error.
func parseChunks(_ chunks: [[UInt8]], limits: HTTPParserLimits = .init()) -> [HTTPRequestParser.Result] {
    var parser = HTTPRequestParser(limits: limits)
    var results: [HTTPRequestParser.Result] = []
    for chunk in chunks {
        parser.append(chunk)
        while true {
            let result = parser.next()
            if result == .needMoreData { break }
            results.append(result)
            if case .error = result { return results }
        }
    }
    return results
}

/// Parses the bytes in one piece.
func parseWhole(_ bytes: [UInt8], limits: HTTPParserLimits = .init()) -> [HTTPRequestParser.Result] {
    parseChunks([bytes], limits: limits)
}

/// Parses the bytes split in two at `offset`.
func parseSplit(_ bytes: [UInt8], at offset: Int, limits: HTTPParserLimits = .init()) -> [HTTPRequestParser.Result] {
    parseChunks([Array(bytes[..<offset]), Array(bytes[offset...])], limits: limits)
}

/// Parses the bytes one at a time.
func parseBytewise(_ bytes: [UInt8], limits: HTTPParserLimits = .init()) -> [HTTPRequestParser.Result] {
    parseChunks(bytes.map { [$0] }, limits: limits)
}

extension String {
    /// The UTF-8 bytes, for feeding parsers.
    var bytes: [UInt8] { Array(utf8) }
}
