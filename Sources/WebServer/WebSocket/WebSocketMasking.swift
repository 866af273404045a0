/// The XOR masking of RFC 6455 §5.3, eight bytes at a time.
enum WebSocketMasking {
    /// `payload[i] ^ key[i % 4]` for every byte, reading and writing whole words where possible.
    static func apply(_ key: [UInt8], to payload: [UInt8]) -> [UInt8] {
        payload.withUnsafeBytes { source in
            key.withUnsafeBytes { keyBytes in
                apply(keyBytes.loadUnaligned(as: UInt32.self), to: source, keyOffset: 0)
            }
        }
    }

    /// Unmasks `source` into a new array; `key` is the 4 key bytes as stored in memory, and
    /// `keyOffset` the payload position of `source[0]` modulo 4 (for payloads handled in pieces).
    static func apply(_ key: UInt32, to source: UnsafeRawBufferPointer, keyOffset: Int) -> [UInt8] {
        let count = source.count
        guard count > 0, let input = source.baseAddress else { return [] }
        // Rotate the key so that byte 0 of the word lines up with source[0] (memory order, little or big endian alike).
        var keyBytes = withUnsafeBytes(of: key) { Array($0) }
        keyBytes = Array(keyBytes[(keyOffset & 3)...] + keyBytes[..<(keyOffset & 3)])
        let key8 = keyBytes + keyBytes
        let wideKey = key8.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        return [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            let out = UnsafeMutableRawPointer(output.baseAddress!)
            var index = 0
            while index + 8 <= count {
                let word = input.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ wideKey
                out.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < count {
                output[index] = input.load(fromByteOffset: index, as: UInt8.self) ^ keyBytes[index & 3]
                index += 1
            }
            initialized = count
        }
    }
}
