import Testing
import GANEngine

@Suite struct SettingsTableTests {
    @Test func keys_areUnique_andEveryDefaultIsValid() throws {
        let keys = GANConfiguration.settings.map(\.key)
        #expect(Set(keys).count == keys.count)
        for setting in GANConfiguration.settings {
            #expect(throws: Never.self, "\(setting.key)") { _ = try setting.validated(setting.defaultValue) }
        }
    }

    @Test func conditions_nameSettingsThatExist_withValidValues() throws {
        for setting in GANConfiguration.settings {
            guard let condition = setting.condition else { continue }
            let other = try #require(GANConfiguration.settingsByKey[condition.key], "\(setting.key) depends on \(condition.key)")
            for value in condition.values { _ = try other.validated(value) }
        }
    }

    @Test func set_writesTheField_andReadsBack() throws {
        var c = GANConfiguration()
        try c.set("generator.learningRate", to: .number(0.25))
        try c.set("discriminator.hiddenLayers", to: .integer(4))
        try c.set("loss", to: .choice("hinge"))
        try c.set("labelSmoothing", to: .boolean(true))
        try c.set("noise.dimension", to: .integer(1))
        try c.set("seed", to: .integer(77))
        #expect(c.generator.optimizer.learningRate == 0.25)
        #expect(c.discriminator.hiddenLayers == 4)
        #expect(c.loss == .hinge && c.labelSmoothing && c.noiseDimension == 1 && c.seed == 77)
        #expect(try c.value(of: "discriminator.hiddenLayers") == .integer(4))
        #expect(try c.value(of: "generator.learningRate") == .number(0.25))
    }

    @Test func badValues_nameTheKeyAndTheRange() {
        var c = GANConfiguration()
        #expect(throws: SettingError.outOfRange(key: "generator.neurons", value: "300", allowed: "1...256")) {
            try c.set("generator.neurons", to: .integer(300))
        }
        #expect(throws: SettingError.wrongType(key: "generator.neurons", expected: "integer")) {
            try c.set("generator.neurons", to: .number(8.5))
        }
        #expect(throws: SettingError.notFinite(key: "generator.learningRate")) {
            try c.set("generator.learningRate", to: .number(.infinity))
        }
        #expect(throws: SettingError.unknownChoice(key: "loss", value: "huber",
                                                   allowed: GANLoss.allCases.map(\.rawValue).joined(separator: ", "))) {
            try c.set("loss", to: .choice("huber"))
        }
        #expect(throws: SettingError.unknownKey("generator.colour")) { try c.set("generator.colour", to: .integer(1)) }
        #expect(SettingError.outOfRange(key: "generator.learningRate", value: "20", allowed: "1e-06...10.0").description
            == "generator.learningRate 20 is out of range: allowed 1e-06...10.0")
        #expect(c == GANConfiguration())
    }

    @Test func integer_isAcceptedForANumber() throws {
        var c = GANConfiguration()
        try c.set("generator.learningRate", to: .integer(1))
        #expect(c.generator.optimizer.learningRate == 1)
    }

    @Test func apply_isAllOrNothing_andReportsWhatChanged() throws {
        var c = GANConfiguration()
        #expect(throws: SettingError.self) {
            try c.apply(["generator.learningRate": .number(0.5), "batchSize": .integer(0)])
        }
        #expect(c == GANConfiguration())
        let changed = try c.apply(["generator.learningRate": .number(0.5), "batchSize": .integer(150),
                                   "generator.activation": .choice("leaky-relu"), "generator.leakySlope": .number(0.3)])
        #expect(Set(changed) == ["generator.learningRate", "generator.activation", "generator.leakySlope"])
        #expect(c.generator.activation == .leakyReLU(slope: 0.3))
    }

    @Test func leakySlope_isKept_whileAnotherActivationIsChosen() throws {
        var c = GANConfiguration()
        try c.set("generator.leakySlope", to: .number(0.4))
        #expect(c.generator.activation == .relu)
        try c.set("generator.activation", to: .choice("leaky-relu"))
        #expect(c.generator.activation == .leakyReLU(slope: 0.4))
    }

    @Test func structure_changesExactlyForRebuildSettings() throws {
        for setting in GANConfiguration.settings {
            var c = GANConfiguration()
            let other: SettingValue
            switch setting.kind {
            case .integer(let r): other = .integer(setting.defaultValue == .integer(r.lowerBound) ? r.upperBound : r.lowerBound)
            case .number(let r, _): other = .number(setting.defaultValue == .number(r.lowerBound) ? r.upperBound : r.lowerBound)
            case .boolean: other = .boolean(setting.defaultValue != .boolean(true))
            case .choice(let names): other = .choice(names.first { .choice($0) != setting.defaultValue }!)
            }
            try c.set(setting.key, to: other)
            #expect((c.structure != GANConfiguration().structure) == (setting.effect == .rebuild), "\(setting.key)")
        }
    }

    @Test func validate_usesTheTable_forHugeSeeds() {
        var c = GANConfiguration()
        c.seed = UInt64.max
        #expect(throws: ConfigurationError.self) { try c.validate() }
        c.seed = GANConfiguration.maximumSeed + 1
        #expect(throws: ConfigurationError.self) { try c.validate() }
        c.seed = GANConfiguration.maximumSeed
        #expect(throws: Never.self) { try c.validate() }
    }
}
