import Testing
import GANEngine

@Suite struct SettingTextTests {
    func setting(_ key: String) throws -> Setting { try #require(GANConfiguration.settingsByKey[key]) }

    @Test func text_isParsedByKind() throws {
        #expect(try setting("batchSize").parse("64") == .integer(64))
        #expect(try setting("generator.learningRate").parse(" 1e-3 ") == .number(1e-3))
        #expect(try setting("generator.learningRate").parse("2") == .number(2))
        #expect(try setting("labelSmoothing").parse("on") == .boolean(true))
        #expect(try setting("labelSmoothing").parse("false") == .boolean(false))
        #expect(try setting("loss").parse("hinge") == .choice("hinge"))
    }

    @Test func badText_namesTheKeyAndRange() throws {
        #expect(throws: SettingError.outOfRange(key: "batchSize", value: "-5", allowed: "1...4096")) { try setting("batchSize").parse("-5") }
        #expect(throws: SettingError.outOfRange(key: "generator.learningRate", value: "1e400", allowed: "1e-06...10")) {
            try setting("generator.learningRate").parse("1e400")
        }
        // 1e-400 is 0 as a Double: the message echoes what was written, not "0".
        #expect(throws: SettingError.outOfRange(key: "generator.learningRate", value: "1e-400", allowed: "1e-06...10")) {
            try setting("generator.learningRate").parse("1e-400")
        }
        #expect(throws: SettingError.outOfRange(key: "penaltyWeight", value: "0.00000", allowed: "0.0001...1000")) {
            try setting("penaltyWeight").parse("0.00000")
        }
        #expect(throws: SettingError.wrongType(key: "batchSize", expected: "integer")) { try setting("batchSize").parse("many") }
        #expect(throws: SettingError.wrongType(key: "generator.learningRate", expected: "number")) { try setting("generator.learningRate").parse("nan") }
        #expect(throws: SettingError.self) { try setting("loss").parse("huber") }
        #expect(throws: SettingError.wrongType(key: "labelSmoothing", expected: "boolean")) { try setting("labelSmoothing").parse("maybe") }
    }
}
