import Testing
import GANEngine

@Suite struct GANConfigurationTests {
    typealias L = GANConfiguration.Limits

    /// Integer fields: a setter, the field name and its range.
    static let integerFields: [(String, ClosedRange<Int>, @Sendable (inout GANConfiguration, Int) -> Void)] = [
        ("generator.hiddenLayers", L.hiddenLayers, { $0.generator.hiddenLayers = $1 }),
        ("generator.neurons", L.neurons, { $0.generator.neurons = $1 }),
        ("discriminator.hiddenLayers", L.hiddenLayers, { $0.discriminator.hiddenLayers = $1 }),
        ("discriminator.neurons", L.neurons, { $0.discriminator.neurons = $1 }),
        ("noise.dimension", L.noiseDimension, { $0.noiseDimension = $1 }),
        ("discriminatorSteps", L.steps, { $0.discriminatorSteps = $1 }),
        ("generatorSteps", L.steps, { $0.generatorSteps = $1 }),
        ("batchSize", L.batchSize, { $0.batchSize = $1 }),
        ("views.fakeSampleCount", L.fakeSampleCount, { $0.views.fakeSampleCount = $1 }),
        ("views.decisionResolution", L.decisionResolution, { $0.views.decisionResolution = $1 }),
        ("views.arrowGridResolution", L.arrowGridResolution, { $0.views.arrowGridResolution = $1 }),
        ("views.manifoldCells", L.manifoldCells, { $0.views.manifoldCells = $1 }),
        ("views.metricSampleCount", L.metricSampleCount, { $0.views.metricSampleCount = $1 }),
    ]

    static let floatFields: [(String, ClosedRange<Float>, @Sendable (inout GANConfiguration, Float) -> Void)] = [
        ("generator.learningRate", L.learningRate, { $0.generator.optimizer.learningRate = $1 }),
        ("discriminator.learningRate", L.learningRate, { $0.discriminator.optimizer.learningRate = $1 }),
        ("discriminator.beta1", L.decay, { $0.discriminator.optimizer.beta1 = $1 }),
        ("generator.beta2", L.decay, { $0.generator.optimizer.beta2 = $1 }),
        ("generator.momentum", L.decay, { $0.generator.optimizer.momentum = $1 }),
        ("generator.rmsDecay", L.decay, { $0.generator.optimizer.rmsDecay = $1 }),
        ("generator.epsilon", L.epsilon, { $0.generator.optimizer.epsilon = $1 }),
        ("smoothedRealLabel", L.smoothedRealLabel, { $0.smoothedRealLabel = $1 }),
        ("weightClip", L.weightClip, { $0.weightClip = $1 }),
        ("generator.leakySlope", L.leakySlope, { $0.generator.activation = .leakyReLU(slope: $1) }),
    ]

    @Test func defaults_areValidAndMatchTheReference() throws {
        let c = GANConfiguration()
        try c.validate()
        #expect(c.generator.hiddenLayers == 2 && c.generator.neurons == 8)
        #expect(c.discriminatorSteps == 2 && c.generatorSteps == 1 && c.batchSize == 150)
        #expect(c.loss == .nonSaturating && !c.labelSmoothing && c.realTarget == 1)
        #expect(c.views.fakeSampleCount == 500 && c.views.decisionResolution == 64)
        #expect(c.views.arrowGridResolution == 16 && c.views.manifoldCells == 20)
    }

    @Test func integerLimits_acceptEdgesAndRejectBeyond() throws {
        for (name, range, set) in Self.integerFields {
            for edge in [range.lowerBound, range.upperBound] {
                var c = GANConfiguration()
                set(&c, edge)
                #expect(throws: Never.self, "\(name) = \(edge)") { try c.validate() }
            }
            for outside in [range.lowerBound - 1, range.upperBound + 1] {
                var c = GANConfiguration()
                set(&c, outside)
                #expect(throws: ConfigurationError(field: name, value: String(outside), allowed: "\(range.lowerBound)...\(range.upperBound)")) {
                    try c.validate()
                }
            }
        }
    }

    @Test func floatLimits_acceptEdgesAndRejectBeyondAndNaN() throws {
        for (name, range, set) in Self.floatFields {
            for edge in [range.lowerBound, range.upperBound] {
                var c = GANConfiguration()
                set(&c, edge)
                #expect(throws: Never.self, "\(name) = \(edge)") { try c.validate() }
            }
            for outside in [range.lowerBound.nextDown, range.upperBound.nextUp, .nan, .infinity] {
                var c = GANConfiguration()
                set(&c, outside)
                do {
                    try c.validate()
                    Issue.record("\(name) = \(outside) accepted")
                } catch {
                    #expect(error.field == name)
                    #expect(error.description.contains(name) && error.description.contains("allowed"))
                }
            }
        }
    }

    @Test func batchNormOnDiscriminator_isRejected() {
        var c = GANConfiguration()
        c.discriminator.batchNorm = true
        #expect(throws: ConfigurationError.self) { try c.validate() }
        c.discriminator.batchNorm = false
        c.generator.batchNorm = true
        #expect(throws: Never.self) { try c.validate() }
    }

    @Test func hiddenSigmoid_isRejected() {
        var c = GANConfiguration()
        c.generator.activation = .sigmoid
        #expect(throws: ConfigurationError.self) { try c.validate() }
    }

    @Test(arguments: Preset.allCases)
    func presets_areValid(_ preset: Preset) throws {
        try GANConfiguration(preset: preset).validate()
    }

    @Test func referencePresets_mapHiddenLayerCounts() {
        // Reference "1×8" = two hidden layers of 8; ring "2×9" = three of 9, k_D 3.
        let gaussians = GANConfiguration(preset: .gaussians)
        #expect(gaussians.generator.hiddenWidths == [8, 8] && gaussians.discriminator.hiddenWidths == [8, 8])
        #expect(gaussians.noiseKind == .gaussian)
        let ring = GANConfiguration(preset: .ring)
        #expect(ring.discriminator.hiddenWidths == [9, 9, 9] && ring.discriminatorSteps == 3)
        #expect(ring.discriminator.optimizer.learningRate == 0.1 && ring.generator.optimizer.learningRate == 0.03)
        let line = GANConfiguration(preset: .line)
        #expect(line.generator.hiddenWidths == [5, 5] && line.discriminator.optimizer.learningRate == 0.03)
        let disjoint = GANConfiguration(preset: .disjoint)
        #expect(disjoint.discriminator.hiddenWidths == [11, 11, 11] && disjoint.discriminatorSteps == 1)
    }

    @Test func labelSmoothing_setsRealTargetOnlyForLogAndLeastSquares() {
        var c = GANConfiguration()
        c.labelSmoothing = true
        #expect(c.realTarget == 0.9)
        c.loss = .wasserstein
        #expect(c.realTarget == 1)
    }
}

@Suite struct SettingsProfileTests {
    @Test(arguments: Preset.allCases)
    func labDefaults_areValid_useStabilisers_andKeepSeedNoiseDimensionAndViews(_ preset: Preset) throws {
        var reference = GANConfiguration(preset: preset, profile: .reference, seed: 9)
        reference.views.decisionResolution = 32
        var lab = reference
        lab.applyLabDefaults(for: preset)
        try lab.validate()
        #expect(!lab.stabilizersAreOff && lab.penalty == .r1 && lab.generatorAverage)
        #expect(lab.seed == 9 && lab.views.decisionResolution == 32)
        // The manifold view keeps working: the same noise dimension; only ring (Gaussian) and grid25 (uniform) draw
        // another kind than the reference's.
        #expect(lab.noiseDimension == reference.noiseDimension)
        let noise: [Preset: NoiseDistribution.Kind] = [.ring: .gaussian, .gridOfGaussians: .uniform]
        #expect(lab.noiseKind == noise[preset, default: reference.noiseKind])
        #expect(lab.discriminator.activation == .leakyReLU(slope: 0.2) && lab.discriminatorSteps > lab.generatorSteps)
        #expect(GANConfiguration(preset: preset, profile: .lab, seed: 9).generator == lab.generator)
    }

    @Test func reference_isThePlainPresetInitialiser() {
        for preset in Preset.allCases {
            #expect(GANConfiguration(preset: preset, profile: .reference, seed: 4) == GANConfiguration(preset: preset, seed: 4))
        }
    }
}
