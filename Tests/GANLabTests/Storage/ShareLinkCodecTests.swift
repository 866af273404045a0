import Foundation
import Testing
import GANEngine
@testable import GANLab
import WebServer

/// Share links (docs/run-format.md §4): a link reproduces its run from the start, bit for bit, edits included.
@Suite struct ShareLinkCodecTests {
    private func bits(_ t: Trainer) -> [UInt32] {
        (t.generator.flattenedParameters + t.discriminator.flattenedParameters).map(\.bitPattern) + t.random.state.map { UInt32(truncatingIfNeeded: $0) }
    }

    /// The original: trained by hand with a live change and single steps on the way, logging as the lab does.
    private func original(data: RunData) throws -> (Trainer, RunEditLog) {
        var configuration = GANConfiguration()
        configuration.seed = 77
        configuration.generator.optimizer.kind = .adam
        let trainer = try Trainer(configuration: configuration, distribution: data.makeDistribution())
        var log = RunEditLog(base: configuration)
        try trainer.train(epochs: 30)
        let change: [String: SettingValue] = ["generator.learningRate": .number(Double(Float(0.005))), "batchSize": .integer(64)]
        try RunReplay.apply(change, to: trainer)
        log.record(.configure(change), at: trainer.epoch)
        try trainer.train(epochs: 20)
        log.record(.discriminatorStep, at: trainer.epoch)
        try trainer.stepDiscriminator()
        log.record(.generatorStep, at: trainer.epoch)
        try trainer.stepGenerator()
        try trainer.train(epochs: 8)
        return (trainer, log)
    }

    @Test(arguments: [RunData.preset(.ring),
                      .points(coordinates: DrawingGrid.snap([0.1, 0.2, 0.3, -0.4, -0.5, 0.6, 0.123, 0.777]), weights: [1, 3, 0, 2], jitter: 0.05),
                      .points(coordinates: [0.1, 0.2, 0.3, -0.4], weights: [0.25, 1.5], jitter: 0.04)])
    func aLink_reproducesTheRun_bitForBit_atTheSameEpoch(data: RunData) throws {
        let (trainer, log) = try original(data: data)
        let blob = try ShareLinkCodec.encode(ShareLink(data: data, defaults: .lab, edits: log, epoch: trainer.epoch))
        let link = try ShareLinkCodec.decode(blob)
        #expect(link.data == data)
        #expect(link.epoch == 60)
        #expect(link.edits == log)
        let copy = try RunReplay.reproduce(link.edits, data: link.data, toEpoch: trainer.epoch)
        #expect(copy.epoch == trainer.epoch)
        #expect(bits(copy) == bits(trainer))
        #expect(copy.configuration == trainer.configuration)
        // Without the edit log the copy differs: the log is what makes the link exact.
        let naive = try RunReplay.reproduce(RunEditLog(base: log.base), data: data, toEpoch: trainer.epoch)
        #expect(bits(naive) != bits(trainer))
    }

    @Test func replayingInChunks_equalsReplayingAtOnce() throws {
        let (trainer, log) = try original(data: .preset(.gaussians))
        let copy = try Trainer(configuration: log.base, distribution: Preset.gaussians.makeDistribution())
        var replay = RunReplay(log)
        for chunk in [7, 23, 1, 19, 1, 9] { try replay.train(copy, epochs: chunk) }
        #expect(copy.epoch == 60)
        #expect(bits(copy) == bits(trainer))
        #expect(replay.isFinished)
    }

    /// run-format.md §1.5 and §4 give these sizes: a real run's link carries its preset's settings, so only a run on
    /// the frozen baseline itself is as short as `aPresetLink_isShort`'s.
    @Test func everyPresetsLink_atItsProfilesDefaults_staysShort() throws {
        var sizes: [String] = []
        for profile in [SettingsProfile.reference, .lab] {
            for preset in Preset.allCases {
                let base = profile.configuration(for: .preset(preset), seed: 7)
                let blob = try ShareLinkCodec.encode(ShareLink(data: .preset(preset), defaults: profile, edits: RunEditLog(base: base), epoch: 0))
                #expect(try ShareLinkCodec.decode(blob).edits.base == base)
                #expect(blob.count < (profile == .reference ? 300 : 600), "\(profile) \(preset): \(blob.count)")
                sizes.append("\(profile.rawValue) \(preset.rawValue) \(blob.count)")
            }
        }
        print("share links at seed 7: " + sizes.joined(separator: ", "))
    }

    @Test func aPresetLink_isShort() throws {
        // Settings are stored as differences from the frozen version-1 baseline (the engine's defaults when format 1
        // was written); a link whose settings are the baseline's but for the seed is the shortest there is.
        var reference = GANConfiguration()
        reference.seed = 123
        let blob = try ShareLinkCodec.encode(ShareLink(data: .preset(.ring), defaults: .reference, edits: RunEditLog(base: reference), epoch: 2500))
        #expect(blob.count < 40)
        // The lab's per-preset defaults differ from that baseline in many settings: longer, still a usable URL.
        let lab = SettingsProfile.lab.configuration(for: .preset(.ring), seed: 123)
        let labBlob = try ShareLinkCodec.encode(ShareLink(data: .preset(.ring), defaults: .lab, edits: RunEditLog(base: lab), epoch: 2500))
        #expect(labBlob.count < 2_000, "\(labBlob.count)")
        // Its setting names repeat ("generator.…", "discriminator.…"): it is stored deflated (flags bit 0).
        let labBytes = try #require(ShareLinkCodec.bytes(fromBase64URL: labBlob))
        #expect(labBytes[1] == ShareLinkCodec.deflatedFlag)
        #expect(try ShareLinkCodec.decode(labBlob).edits.base == lab)
        #expect(try #require(ShareLinkCodec.bytes(fromBase64URL: blob))[1] == 0, "a short link is left as it is")
        print("share links, ring preset with a seed: reference \(blob.count), lab \(labBlob.count) characters")
    }

    /// A blob with `flags` and `fields` after the version, and a correct check.
    private func blob(flags: UInt8, fields: [UInt8]) -> String {
        var bytes: [UInt8] = [ShareLinkCodec.version, flags] + fields
        bytes += Digest.sha256(bytes).prefix(4)
        return ShareLinkCodec.base64URL(bytes)
    }

    @Test func deflatedLinks_refuseBombsCorruptDataAndUnknownFlags() throws {
        let bomb = blob(flags: ShareLinkCodec.deflatedFlag, fields: WebSocketDeflate.compress([UInt8](repeating: 0, count: 2 << 20)))
        #expect(bomb.count < ShareLinkCodec.maximumCharacters)
        #expect(throws: ShareLinkError.malformed("it inflates to more than \(ShareLinkCodec.maximumInflatedBytes) bytes")) {
            try ShareLinkCodec.decode(bomb)
        }
        #expect(throws: ShareLinkError.malformed("its compressed part is not valid DEFLATE data")) {
            try ShareLinkCodec.decode(blob(flags: ShareLinkCodec.deflatedFlag, fields: [0xFF, 0xFF, 0xFF, 0xFF, 0x07]))
        }
        let plain = try #require(ShareLinkCodec.bytes(fromBase64URL: try ShareLinkCodec.encode(
            ShareLink(data: .preset(.moons), defaults: .reference, edits: RunEditLog(), epoch: 5))))
        let fields = Array(plain.dropFirst(2).dropLast(4))
        #expect(try ShareLinkCodec.decode(blob(flags: 0, fields: fields)).data == .preset(.moons))
        #expect(try ShareLinkCodec.decode(blob(flags: ShareLinkCodec.deflatedFlag, fields: WebSocketDeflate.compress(fields))).data == .preset(.moons))
        #expect(throws: ShareLinkError.malformed("unknown flags (made by a newer ganlab?)")) {
            try ShareLinkCodec.decode(blob(flags: 2, fields: fields))
        }
    }

    @Test func aLinkMadeBeforeDeflate_stillOpens() throws {
        // `GET /api/runs/{code}/share` of main at 9e4c963 (no flags yet): ring, reference settings, seed 123, epoch 0.
        let made = "AQABAARyaW5nBhpkaXNjcmltaW5hdG9yLmhpZGRlbkxheWVycwEGFWRpc2NyaW1pbmF0b3IubmV1cm9ucwESEmRpc2NyaW1pbmF0b3JTdGVw"
            + "cwEGEWdlbmVyYXRvci5uZXVyb25zARQKbm9pc2Uua2luZAQHdW5pZm9ybQRzZWVkAfYBAAAVL5QI"
        let link = try ShareLinkCodec.decode(made)
        #expect(link.data == .preset(.ring) && link.defaults == .reference && link.epoch == 0)
        #expect(link.edits.base == SettingsProfile.reference.configuration(for: .preset(.ring), seed: 123))
    }

    @Test func drawings_fitUpToTheCap_thenFallBack() throws {
        // A stroke of a few thousand points: consecutive points a few pixels apart, as a pointer produces them.
        func stroke(_ n: Int) -> [Float] {
            DrawingGrid.snap((0..<n).flatMap { i -> [Float] in
                let t = Float(i) / Float(n) * 12
                return [0.8 * cos(t) * (0.3 + t / 20), 0.8 * sin(t) * (0.3 + t / 20)]
            })
        }
        var largest = 0
        for n in stride(from: 250, through: 20_000, by: 250) {
            let link = ShareLink(data: .points(coordinates: stroke(n), weights: nil, jitter: 0.04), defaults: .lab, edits: RunEditLog(), epoch: 0)
            guard let blob = try? ShareLinkCodec.encode(link) else { break }
            #expect(try ShareLinkCodec.decode(blob).data == link.data)
            largest = n
        }
        print("share link: largest drawing that fits is \(largest) points (cap \(ShareLinkCodec.maximumCharacters) characters)")
        #expect(largest >= 3_000, "deflate lets a stroke of smooth steps fit twice what the plain deltas did")
        // Scattered points do not compress: 5,000 of them do not fit.
        var random = RandomSource(seed: 5)
        let scattered = DrawingGrid.snap((0..<10_000).map { _ in random.nextUniform() * 2 - 1 })
        let tooBig = ShareLink(data: .points(coordinates: scattered, weights: nil, jitter: 0.04), defaults: .lab, edits: RunEditLog(), epoch: 0)
        #expect(throws: ShareLinkError.self) { try ShareLinkCodec.encode(tooBig) }
    }

    @Test func badLinks_areRefusedWithAReason() throws {
        let blob = try ShareLinkCodec.encode(ShareLink(data: .preset(.moons), defaults: .reference, edits: RunEditLog(), epoch: 5))
        for length in 0..<blob.count {
            #expect(throws: ShareLinkError.self) { try ShareLinkCodec.decode(String(blob.prefix(length))) }
        }
        for i in blob.indices {
            var chars = Array(blob)
            chars[blob.distance(from: blob.startIndex, to: i)] = chars[blob.distance(from: blob.startIndex, to: i)] == "A" ? "B" : "A"
            #expect(throws: ShareLinkError.self) { try ShareLinkCodec.decode(String(chars)) }
        }
        #expect(throws: ShareLinkError.malformed("it is not base64url (A–Z a–z 0–9 - _)")) { try ShareLinkCodec.decode(blob + "+") }
        #expect(throws: ShareLinkError.self) { try ShareLinkCodec.decode(String(repeating: "A", count: 5000)) }
        #expect(try ShareLinkCodec.decode(blob).defaults == .reference)
    }

    @Test func anyConfiguration_survivesTheLink() throws {
        var changed = GANConfiguration()
        try changed.apply(["generator.hiddenLayers": .integer(4), "discriminator.neurons": .integer(32), "loss": .choice("hinge"),
                           "generator.activation": .choice("leaky-relu"), "generator.leakySlope": .number(Double(Float(0.3))),
                           "noise.dimension": .integer(1), "noise.kind": .choice("uniform"), "seed": .integer(9_007_199_254_740_991),
                           "discriminator.optimizer": .choice("rmsprop"), "discriminator.epsilon": .number(1e-10),
                           "views.decisionResolution": .integer(128), "generator.batchNorm": .boolean(true)])
        for configuration in [GANConfiguration(), changed] {
            let blob = try ShareLinkCodec.encode(ShareLink(data: .preset(.spiral), defaults: .lab, edits: RunEditLog(base: configuration), epoch: 0))
            #expect(try ShareLinkCodec.decode(blob).edits.base.settingValues == configuration.settingValues)
        }
    }

    @Test func linksFromRecords_refuseAnOverflowedLog() throws {
        var log = RunEditLog()
        for epoch in 1...(RunEditLog.maximumEntries + 1) { log.record(.discriminatorStep, at: epoch) }
        #expect(!log.isComplete)
        var record = StorageFixtures.record()
        record.edits = log
        #expect(throws: ShareLinkError.incompleteHistory) { try ShareLink(record: record) }
    }

    @Test func base64url_isStrict_soEachLinkHasOneSpelling() throws {
        for n in 0...7 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: 37 &* $0 &+ 200) }
            #expect(ShareLinkCodec.bytes(fromBase64URL: ShareLinkCodec.base64URL(bytes)) == bytes)
        }
        #expect(ShareLinkCodec.bytes(fromBase64URL: "AQ") == [1])
        #expect(ShareLinkCodec.bytes(fromBase64URL: "AQI") == [1, 2])
        // A set pad bit (RFC 4648 §3.5), a lone last character, padding, other alphabets: refused.
        for text in ["AR", "AQJ", "A", "AQIDB", "AQ==", "AQ+/", "AQ\n"] {
            #expect(ShareLinkCodec.bytes(fromBase64URL: text) == nil, "\(text)")
        }
        // A real link whose last character carries pad bits: flipping one gave the same bytes, and opened, before.
        let blob = try (5...8).lazy.map { try ShareLinkCodec.encode(ShareLink(data: .preset(.moons), defaults: .reference, edits: RunEditLog(), epoch: $0)) }
            .first { $0.count % 4 != 0 }!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = alphabet.firstIndex(of: blob.last!)!
        let respelled = String(blob.dropLast()) + String(alphabet[last ^ 1])
        #expect(throws: ShareLinkError.malformed("it is not base64url (A–Z a–z 0–9 - _)")) { try ShareLinkCodec.decode(respelled) }
        #expect(try ShareLinkCodec.decode(blob).epoch >= 5)
    }
}
