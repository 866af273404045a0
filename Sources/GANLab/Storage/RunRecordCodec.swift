import Foundation
import GANEngine
import WebServer

/// RunRecord ⇄ the bytes of a `.ganrun` file, exactly as docs/run-format.md §1 lays them out: the data
/// directory, export, import, pretrained runs and `ganlab train --save` all go through these two functions.
public enum RunRecordCodec {
    /// The file for `record`: header, the seven sections, SHA-256.
    public static func encode(_ record: RunRecord) -> [UInt8] {
        var body = ByteWriter()
        body.section(RunFormat.Tag.meta) { encodeMeta(record, into: &$0) }
        body.section(RunFormat.Tag.data) { encodeData(record.data, into: &$0) }
        body.section(RunFormat.Tag.configuration) { $0.settings(record.trainer.configuration.settingValues) }
        body.section(RunFormat.Tag.trainer) { encodeTrainer(record.trainer, into: &$0) }
        body.section(RunFormat.Tag.tensors) { encodeTensors(record.trainer.tensors, into: &$0) }
        body.section(RunFormat.Tag.history) { encodeHistory(record.metrics, into: &$0) }
        body.section(RunFormat.Tag.edits) { encodeEdits(record.edits, into: &$0) }
        var file = ByteWriter()
        file.raw(RunFormat.magic)
        file.u16(RunFormat.major)
        file.u16(RunFormat.minor)
        file.u32(0)
        file.u64(UInt64(body.bytes.count))
        file.raw(body.bytes)
        file.raw(Digest.sha256(file.bytes))
        return file.bytes
    }

    /// The record in `bytes`, or the first reason it cannot be read (checked in the order of §1.4).
    public static func decode(_ bytes: [UInt8]) throws(RunFormatError) -> RunRecord {
        guard bytes.count >= RunFormat.magic.count, bytes.starts(with: RunFormat.magic) else { throw .foreign }
        var header = ByteReader(bytes, context: "header")
        _ = try header.raw(RunFormat.magic.count)
        let major = try header.u16(), minor = try header.u16()
        guard major <= RunFormat.major, major >= 1 else { throw .newerVersion(major: Int(major), minor: Int(minor)) }
        let flags = try header.u32()
        guard flags == 0 else { throw .unknownFlags(flags) }
        let bodyBytes = try header.u64()
        let expected = UInt64(RunFormat.headerBytes + RunFormat.checksumBytes) &+ bodyBytes
        guard bodyBytes < UInt64(Int.max / 2), UInt64(bytes.count) >= expected else {
            throw .truncated(actual: bytes.count, expected: bodyBytes < UInt64(Int.max / 2) ? Int(expected) : Int.max)
        }
        guard UInt64(bytes.count) == expected else { throw .trailingBytes(extra: bytes.count - Int(expected)) }
        let end = RunFormat.headerBytes + Int(bodyBytes)
        guard Digest.sha256(Array(bytes[0..<end])).elementsEqual(bytes[end...]) else { throw .checksumMismatch }

        let sections = try readSections(bytes, range: RunFormat.headerBytes..<end)
        func reader(_ tag: String) -> ByteReader { ByteReader(bytes, range: sections[tag]!, context: "section \(tag)") }
        var meta = reader(RunFormat.Tag.meta), data = reader(RunFormat.Tag.data)
        var conf = reader(RunFormat.Tag.configuration), trainer = reader(RunFormat.Tag.trainer)
        var tensors = reader(RunFormat.Tag.tensors), history = reader(RunFormat.Tag.history), edits = reader(RunFormat.Tag.edits)

        var record = try decodeMeta(&meta)
        record.data = try decodeData(&data)
        let configuration = try GANConfiguration.decoded(from: try conf.settings())
        record.trainer = try decodeTrainer(&trainer, configuration: configuration)
        record.trainer.tensors = try decodeTensors(&tensors)
        record.metrics = try decodeHistory(&history)
        record.edits = try decodeEdits(&edits)
        if let r = [meta, data, conf, trainer, tensors, history, edits].first(where: { !$0.isAtEnd }) {
            throw r.malformed("\(r.remaining) unread bytes at its end")
        }
        return record
    }

    /// Splits the body into sections: every required one exactly once, unknown ancillary ones skipped.
    private static func readSections(_ bytes: [UInt8], range: Range<Int>) throws(RunFormatError) -> [String: Range<Int>] {
        var reader = ByteReader(bytes, range: range, context: "sections")
        var sections: [String: Range<Int>] = [:]
        while !reader.isAtEnd {
            let tagBytes = try reader.raw(4)
            guard tagBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw reader.malformed("a section tag is not 4 ASCII letters")
            }
            let tag = String(decoding: tagBytes, as: UTF8.self)
            let length = try reader.count(itemBytes: 1)
            let start = reader.offset
            _ = try reader.raw(length)
            if RunFormat.Tag.required.contains(tag) {
                guard sections[tag] == nil else { throw .repeatedSection(tag) }
                sections[tag] = start..<start + length
            } else if (0x41...0x5A).contains(tagBytes[0]) {
                throw .unknownCriticalSection(tag)
            }
        }
        if let missing = RunFormat.Tag.required.first(where: { sections[$0] == nil }) { throw .missingSection(missing) }
        return sections
    }
}
