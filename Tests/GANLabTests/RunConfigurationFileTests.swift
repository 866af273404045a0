import Foundation
import Testing
import GANEngine
@testable import GANLab

@Suite struct RunConfigurationFileTests {
    private func parse(_ text: String, source: String? = "run.json") throws(RunConfigurationError) -> RunConfigurationFile {
        try RunConfigurationFile(data: Data(text.utf8), source: source)
    }

    /// The message of the error `body` throws.
    private func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test func presetAndOverrides_areApplied() throws {
        let file = try parse("""
            { "preset": "ring", "defaults": "reference", "seed": 7, "loss": "least-squares", "discriminatorSteps": 3,
              "generator": { "neurons": 32, "optimizer": "adam", "learningRate": 0.002 },
              "noise": { "kind": "uniform", "dimension": 1 } }
            """)
        #expect(file.preset == .ring && file.profile == .reference)
        var configuration = GANConfiguration(preset: .ring)
        try file.apply(to: &configuration)
        #expect(configuration.seed == 7)
        #expect(configuration.loss == .leastSquares)
        #expect(configuration.discriminatorSteps == 3)
        #expect(configuration.generator.neurons == 32)
        #expect(configuration.generator.optimizer.kind == .adam)
        #expect(configuration.generator.optimizer.learningRate == 0.002)
        #expect(configuration.noiseDimension == 1)
        #expect(configuration.generator.hiddenLayers == GANConfiguration(preset: .ring).generator.hiddenLayers,
                "keys the file does not name keep the preset's values")
    }

    @Test func everySetting_isReadAtItsKeysPath() throws {
        // Built from the table alone: a setting added there is readable with no change to the reader.
        for setting in GANConfiguration.settings {
            let path = setting.key.split(separator: ".")
            let value: String
            switch setting.defaultValue {
            case .integer(let i): value = String(i)
            case .number(let d): value = String(d)
            case .boolean(let b): value = b ? "true" : "false"
            case .choice(let c): value = "\"\(c)\""
            }
            var text = "\"\(path.last!)\": \(value)"
            for component in path.dropLast().reversed() { text = "\"\(component)\": { \(text) }" }
            let file = try parse("{ \(text) }")
            #expect(file.settings[setting.key] != nil, "\(setting.key)")
        }
    }

    @Test func unknownKeys_areErrorsNamingTheKeyAndWhatIsAllowed() {
        #expect(message { _ = try parse(#"{ "sede": 1 }"#) }?.hasPrefix("run.json: unknown key \"sede\"; allowed here: ") == true)
        let nested = message { _ = try parse(#"{ "generator": { "nuerons": 8 } }"#) }
        #expect(nested?.contains("\"generator.nuerons\"") == true && nested?.contains("neurons") == true, "\(nested ?? "")")
    }

    @Test func duplicateKeys_areRefused() {
        #expect(message { _ = try parse(#"{ "seed": 1, "seed": 2 }"#) } == "run.json: key \"seed\" appears twice; give each key once")
        #expect(message { _ = try parse(#"{ "generator": { "neurons": 8, "neurons": 9 } }"#) }
            == "run.json: key \"generator.neurons\" appears twice; give each key once")
    }

    @Test func hugeNumbers_areOutOfRangeNamingFileKeyAndRange() {
        #expect(message { _ = try parse(#"{ "generator": { "learningRate": 1e400 } }"#) }
            == "run.json: generator.learningRate 1e400 is out of range: allowed 1e-06...10")
        #expect(message { _ = try parse(#"{ "batchSize": -1e400 }"#) } == "run.json: batchSize -1e400 is out of range: allowed 1...4096")
        // Too small for a Double: read as 0, reported as written.
        #expect(message { _ = try parse(#"{ "generator": { "learningRate": 1e-400 } }"#) }
            == "run.json: generator.learningRate 1e-400 is out of range: allowed 1e-06...10")
    }

    @Test func outOfRangeValues_nameTheFileKeyAndRange() {
        #expect(message { _ = try parse(#"{ "discriminator": { "neurons": 300 } }"#) }
            == "run.json: discriminator.neurons 300 is out of range: allowed 1...256")
        #expect(message {
            var c = GANConfiguration()
            try parse(#"{ "seed": -1 }"#).apply(to: &c)
        }?.contains("seed -1 is out of range") == true)
    }

    @Test func wrongTypesBadNamesAndBadJSON_areRefused() {
        for text in [#"{ "seed": "one" }"#, #"{ "preset": "donut" }"#, #"{ "loss": "mystery" }"#, #"{ "batchSize": 1.5 }"#,
                     #"{ "generator": 3 }"#, #"{ "labelSmoothing": 1 }"#, "{ not json", "[1, 2]", "", "{} {}", #"{ "seed": 01 }"#,
                     "{ \"seed\": 1, }", "{ // comment\n }", #"{ "defaults": "fast" }"#] {
            #expect(throws: RunConfigurationError.self, "\(text)") {
                var configuration = GANConfiguration()
                try parse(text).apply(to: &configuration)
            }
        }
        #expect(message { _ = try parse("{\n  \"seed\": tru\n}") } == "run.json: line 2, column 11: not valid JSON: unexpected text: a value was expected")
    }

    @Test func rulesBetweenSettings_areChecked() {
        #expect(message {
            var c = GANConfiguration()
            try parse(#"{ "discriminator": { "batchNorm": true } }"#).apply(to: &c)
        }?.hasPrefix("run.json: ") == true)
    }

    @Test func writtenFile_readsBackToTheSameConfiguration() throws {
        var original = GANConfiguration(preset: .disjoint, seed: 99)
        original.loss = .hinge
        original.generator.activation = .leakyReLU(slope: 0.3)
        original.views.decisionResolution = 96
        original.generator.optimizer.epsilon = 1e-8
        let text = RunConfigurationFile.text(for: original, preset: .disjoint, profile: .lab)
        let file = try parse(text)
        var decoded = GANConfiguration()
        try file.apply(to: &decoded)
        #expect(file.preset == .disjoint && file.profile == .lab)
        #expect(decoded == original)
        #expect(file.settings.count == GANConfiguration.settings.count, "every setting is written")
    }

    @Test func stringsWithEscapes_andUnicode_parse() throws {
        let value = try StrictJSONParser.parse(Array(#"{"a":"x\"y\\z\u00e9\ud83d\ude00"}"#.utf8))
        #expect(value == .object([("a", .string("x\"y\\zé😀"))]))
    }

    @Test func missingFile_andDirectory_areUnreadableErrorsNamingThePath() {
        #expect(message { _ = try RunConfigurationFile(contentsOf: "/nonexistent/run.json") }
            == "cannot read configuration file /nonexistent/run.json: no such file or directory")
        #expect(message { _ = try RunConfigurationFile(contentsOf: "/tmp") }
            == "cannot read configuration file /tmp: it is a directory, not a file")
    }
}
