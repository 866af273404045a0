import Foundation
import Testing
import GANEngine
import GANLab

@Suite struct RunConfigurationFileTests {
    private func parse(_ text: String) throws(RunConfigurationError) -> RunConfigurationFile {
        try RunConfigurationFile(data: Data(text.utf8))
    }

    @Test func presetAndOverrides_areApplied() throws {
        let file = try parse("""
            { "preset": "ring", "seed": 7, "loss": "least-squares", "discriminatorSteps": 3,
              "generator": { "neurons": 32, "optimizer": "adam", "learningRate": 0.002 },
              "noise": { "kind": "uniform", "dimension": 1 } }
            """)
        #expect(file.preset == .ring)
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

    @Test func unknownKeys_areErrorsNamingTheKey() {
        #expect(throws: RunConfigurationError.self) { try parse(#"{ "sede": 1 }"#) }
        do {
            var configuration = GANConfiguration()
            try parse(#"{ "generator": { "nuerons": 8 } }"#).apply(to: &configuration)
            Issue.record("a misspelt nested key was accepted")
        } catch {
            #expect(error.description.contains("nuerons"), "\(error)")
        }
    }

    @Test func wrongTypesBadNamesAndBadJSON_areRefused() {
        for text in [#"{ "seed": "one" }"#, #"{ "preset": "donut" }"#, #"{ "loss": "mystery" }"#,
                     #"{ "seed": -1 }"#, "{ not json", "[1, 2]"] {
            #expect(throws: RunConfigurationError.self, "\(text)") {
                var configuration = GANConfiguration()
                try parse(text).apply(to: &configuration)
            }
        }
    }

    @Test func outOfRangeValues_failValidationNamingTheField() throws {
        var configuration = GANConfiguration()
        try parse(#"{ "discriminator": { "neurons": 300 } }"#).apply(to: &configuration)
        do {
            try configuration.validate()
            Issue.record("300 neurons passed validation")
        } catch {
            #expect(error.field.contains("neurons"))
            #expect(error.allowed == "1...256")
        }
    }

    @Test func writtenFile_readsBackToTheSameConfiguration() throws {
        var original = GANConfiguration(preset: .disjoint, seed: 99)
        original.loss = .hinge
        original.generator.activation = .leakyReLU(slope: 0.3)
        original.views.decisionResolution = 96
        let text = RunConfigurationFile.text(for: original, preset: .disjoint)
        let file = try parse(text)
        var decoded = GANConfiguration()
        try file.apply(to: &decoded)
        #expect(file.preset == .disjoint)
        #expect(decoded == original)
    }

    @Test func missingFile_isAnUnreadableError() {
        #expect(throws: RunConfigurationError.self) {
            try RunConfigurationFile(contentsOf: "/nonexistent/run.json")
        }
    }
}
