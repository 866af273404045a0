import Testing
import WebServer

@Suite struct UTF8ValidatorTests {
    private func isValid(_ bytes: [UInt8]) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isComplete
    }

    @Test func validText_passesWholeAndAtEverySplit() {
        let text = Array("κόσμε ascii 日本語 🎉 \u{10FFFF} \u{FFFD}\u{7F}".utf8)
        #expect(isValid(text))
        for offset in 0...text.count {
            var validator = UTF8Validator()
            let accepted1 = validator.validate(Array(text[..<offset]))
            #expect(accepted1)
            let accepted2 = validator.validate(Array(text[offset...]))
            #expect(accepted2)
            #expect(validator.isComplete)
        }
    }

    @Test func invalidSequences_areRejected() {
        let invalid: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE],
            [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64],
            [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xC3, 0x28],
        ]
        for bytes in invalid { #expect(!isValid(bytes), "\(bytes)") }
    }

    @Test func truncatedSequence_isIncompleteButNotYetInvalid() {
        var validator = UTF8Validator()
        let accepted3 = validator.validate([0x61, 0xF0, 0x9F, 0x8E])
        #expect(accepted3)
        #expect(!validator.isComplete)
        let accepted4 = validator.validate([0x89])
        #expect(accepted4)
        #expect(validator.isComplete)
    }

    @Test func definitelyInvalidPrefix_failsOnItsFirstBadByte() {
        // Autobahn 6.4.x: "κόσμε" + ED A0 80 (a surrogate) must fail at A0, before the rest arrives.
        var validator = UTF8Validator()
        let accepted5 = validator.validate([0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5])
        #expect(accepted5)
        let accepted6 = validator.validate([0xED, 0xA0])
        #expect(!accepted6)
        var beyond = UTF8Validator()
        let accepted7 = beyond.validate([0xF4, 0x90])
        #expect(!accepted7)
    }

    @Test func agreesWithTheStandardLibraryOnPseudoRandomBytes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<3000 {
            let length = Int(state % 24)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = UInt8(truncatingIfNeeded: state >> 56)
                bytes.append(state & 0x100 == 0 ? pick & 0x7F : pick)  // bias towards ASCII and multi-byte mixes
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let standard = String(validating: bytes, as: UTF8.self) != nil
            #expect(isValid(bytes) == standard, "\(bytes)")
        }
    }
}
