/// The settings table: every `GANConfiguration` field a person may set, described once (docs/protocol.md §4).
///
/// Order matters twice: the page shows settings in this order within a group, and a batch of changes is
/// applied in this order (so "activation" is written before "leakySlope").
extension GANConfiguration {
    /// Every setting, in page order.
    public static let settings: [Setting] = {
        typealias C = GANConfiguration
        typealias L = Limits
        var table: [Setting] = []
        for (name, path, group) in [("generator", \C.generator, Setting.Group.generator),
                                    ("discriminator", \C.discriminator, Setting.Group.discriminator)] {
            let noun = name == "generator" ? "the generator" : "the discriminator"
            table += [
                integer(name + ".hiddenLayers", "Hidden layers", group, L.hiddenLayers, .rebuild,
                        "Hidden layers of \(noun) (GAN Lab's \"1 hidden layer\" is 2 here).", path.appending(path: \.hiddenLayers)),
                integer(name + ".neurons", "Neurons per layer", group, L.neurons, .rebuild,
                        "Neurons in each hidden layer of \(noun).", path.appending(path: \.neurons)),
                activation(name + ".activation", group, noun, path),
                number(name + ".leakySlope", "Leaky slope", group, L.leakySlope, false, .rebuild,
                       "Slope of leaky ReLU for negative inputs.", path.appending(path: \.leakySlope),
                       when: (name + ".activation", [.choice("leaky-relu")])),
            ]
            if name == "generator" {
                table.append(boolean(name + ".batchNorm", "Batch norm", group, .rebuild,
                                     "Batch normalisation after each hidden layer of the generator.", path.appending(path: \.batchNorm)))
            }
            let optimizer = path.appending(path: \.optimizer)
            let rule = name + ".optimizer"
            table += [
                choice(name + ".initialization", "Initialisation", group, .rebuild,
                       "How \(noun)'s weights start: GAN Lab's N(0, 1/fan-in), Xavier or He.", path.appending(path: \.initialization)),
                choice(rule, "Optimiser", group, .live,
                       "Update rule of \(noun); a change of rule restarts its state, the weights are kept.", optimizer.appending(path: \.kind)),
                number(name + ".learningRate", "Learning rate", group, L.learningRate, true, .live,
                       "Step size η of \(noun)'s optimiser.", optimizer.appending(path: \.learningRate)),
                number(name + ".momentum", "Momentum", group, L.decay, false, .live,
                       "μ of classical momentum.", optimizer.appending(path: \.momentum), when: (rule, [.choice("momentum")])),
                number(name + ".beta1", "Adam β₁", group, L.decay, false, .live,
                       "Decay of Adam's first moment.", optimizer.appending(path: \.beta1), when: (rule, [.choice("adam")])),
                number(name + ".beta2", "Adam β₂", group, L.decay, false, .live,
                       "Decay of Adam's second moment.", optimizer.appending(path: \.beta2), when: (rule, [.choice("adam")])),
                number(name + ".rmsDecay", "RMSProp ρ", group, L.decay, false, .live,
                       "Decay of RMSProp's squared-gradient average.", optimizer.appending(path: \.rmsDecay),
                       when: (rule, [.choice("rmsprop")])),
                number(name + ".epsilon", "ε", group, L.epsilon, true, .live,
                       "ε in Adam's and RMSProp's denominators.", optimizer.appending(path: \.epsilon),
                       when: (rule, [.choice("adam"), .choice("rmsprop")])),
            ] + scheduleSettings(name, noun, group, path.appending(path: \.schedule))
        }
        table += [
            choice("generatorOutput", "Generator output", .generator, .rebuild,
                   "tanh keeps fakes inside the square; linear lets them leave it.", \C.generatorOutput),
            choice("noise.kind", "Noise", .noise, .rebuild,
                   "Distribution of the generator's input noise: uniform or (truncated) Gaussian.", \C.noiseKind),
            integer("noise.dimension", "Noise dimensions", .noise, L.noiseDimension, .rebuild,
                    "Dimensions of the noise (the manifold view needs 1 or 2).", \C.noiseDimension),
            choice("loss", "Loss", .training, .live,
                   "The adversarial objective (saturating is the original minimax; non-saturating is the usual fix).", \C.loss),
            boolean("labelSmoothing", "Label smoothing", .training, .live,
                    "One-sided label smoothing: the discriminator aims below 1 on real samples.", \C.labelSmoothing),
            number("smoothedRealLabel", "Smoothed real label", .training, L.smoothedRealLabel, false, .live,
                   "The real target with label smoothing on.", \C.smoothedRealLabel, when: ("labelSmoothing", [.boolean(true)])),
            number("weightClip", "Weight clip", .training, L.weightClip, true, .live,
                   "WGAN's clipping bound c on the discriminator's weights.", \C.weightClip,
                   when: ("loss", [.choice(GANLoss.wasserstein.rawValue)])),
            integer("discriminatorSteps", "D updates per epoch", .training, L.steps, .live,
                    "Discriminator updates in each epoch (k_D).", \C.discriminatorSteps),
            integer("generatorSteps", "G updates per epoch", .training, L.steps, .live,
                    "Generator updates in each epoch (k_G).", \C.generatorSteps),
            integer("batchSize", "Batch size", .training, L.batchSize, .live,
                    "Real points and noise vectors in each batch.", \C.batchSize),
            seed,
            integer("views.fakeSampleCount", "Fakes shown", .views, L.fakeSampleCount, .live,
                    "Fakes drawn in the plot (from a fixed noise set, so they move smoothly).", \C.views.fakeSampleCount),
            integer("views.decisionResolution", "Field resolution", .views, L.decisionResolution, .live,
                    "Cells per side of the discriminator's decision field.", \C.views.decisionResolution),
            integer("views.arrowGridResolution", "Vector-field grid", .views, L.arrowGridResolution, .live,
                    "Cells per side of the coarse gradient vector field.", \C.views.arrowGridResolution),
            integer("views.manifoldCells", "Manifold cells", .views, L.manifoldCells, .live,
                    "Cells per side of the generator's warped noise grid.", \C.views.manifoldCells),
            integer("views.metricSampleCount", "Metric samples", .views, L.metricSampleCount, .live,
                    "Fakes binned for the JS and KL estimates each frame. JS is the headline; KL(real‖fake) is dominated "
                    + "by its smoothing whenever real mass is missed, so read it as a missed-mass alarm.", \C.views.metricSampleCount),
        ]
        table.insert(contentsOf: stabilizerSettings, at: table.firstIndex { $0.key == "seed" }!)
        return table
    }()

    /// The settings by key.
    public static let settingsByKey: [String: Setting] = Dictionary(uniqueKeysWithValues: settings.map { ($0.key, $0) })

    /// The largest seed: seeds travel as JSON numbers, exact only up to 2⁵³ − 1.
    public static let maximumSeed: UInt64 = (1 << 53) - 1

    /// The current value of the setting `key`.
    public func value(of key: String) throws(SettingError) -> SettingValue {
        guard let setting = Self.settingsByKey[key] else { throw .unknownKey(key) }
        return setting.read(self)
    }

    /// Every setting's current value by key.
    public var settingValues: [String: SettingValue] {
        Dictionary(uniqueKeysWithValues: Self.settings.map { ($0.key, $0.read(self)) })
    }

    /// Sets one setting after checking its type and range (the rest of the configuration is not re-checked).
    public mutating func set(_ key: String, to value: SettingValue) throws(SettingError) {
        guard let setting = Self.settingsByKey[key] else { throw .unknownKey(key) }
        setting.write(&self, try setting.validated(value))
    }

    /// Applies several changes all or nothing: each is checked, applied in table order, and the result
    /// validated as a whole; on any error `self` is unchanged. Returns the keys whose value changed.
    @discardableResult
    public mutating func apply(_ changes: [String: SettingValue]) throws(SettingError) -> [String] {
        var next = self
        for key in changes.keys where Self.settingsByKey[key] == nil { throw .unknownKey(key) }
        for setting in Self.settings {
            guard let value = changes[setting.key] else { continue }
            setting.write(&next, try setting.validated(value))
        }
        do {
            try next.validate()
        } catch {
            throw .invalidCombination(key: error.field, reason: error.description)
        }
        let changed = Self.settings.filter { $0.read(self) != $0.read(next) }.map(\.key)
        self = next
        return changed
    }

    /// The values of every setting whose change rebuilds the networks: equal structures can keep the weights.
    public struct Structure: Equatable, Sendable {
        /// Rebuild-effect settings' values, in table order.
        public let values: [SettingValue]
    }

    /// This configuration's structure (see `Structure`).
    public var structure: Structure {
        Structure(values: Self.settings.filter { $0.effect == .rebuild }.map { $0.read(self) })
    }

    // MARK: table builders

    static func integer(_ key: String, _ label: String, _ group: Setting.Group, _ range: ClosedRange<Int>,
                                _ effect: Setting.Effect, _ help: String, _ path: WritableKeyPath<GANConfiguration, Int>,
                                when: (String, [SettingValue])? = nil) -> Setting {
        Setting(key: key, label: label, group: group, kind: .integer(range), effect: effect, help: help,
                condition: when.map { Setting.Condition(key: $0.0, values: $0.1) },
                read: { .integer($0[keyPath: path]) },
                write: { c, v in if case .integer(let i) = v { c[keyPath: path] = i } })
    }

    static func number(_ key: String, _ label: String, _ group: Setting.Group, _ range: ClosedRange<Float>,
                               _ isLogarithmic: Bool, _ effect: Setting.Effect, _ help: String,
                               _ path: WritableKeyPath<GANConfiguration, Float>, when: (String, [SettingValue])? = nil) -> Setting {
        Setting(key: key, label: label, group: group,
                kind: .number(Double(range.lowerBound)...Double(range.upperBound), isLogarithmic: isLogarithmic),
                effect: effect, help: help, condition: when.map { Setting.Condition(key: $0.0, values: $0.1) },
                read: { .number(Double($0[keyPath: path])) },
                write: { c, v in if case .number(let d) = v { c[keyPath: path] = Float(d) } })
    }

    static func boolean(_ key: String, _ label: String, _ group: Setting.Group, _ effect: Setting.Effect,
                        _ help: String, _ path: WritableKeyPath<GANConfiguration, Bool>, when: (String, [SettingValue])? = nil) -> Setting {
        Setting(key: key, label: label, group: group, kind: .boolean, effect: effect, help: help,
                condition: when.map { Setting.Condition(key: $0.0, values: $0.1) },
                read: { .boolean($0[keyPath: path]) },
                write: { c, v in if case .boolean(let b) = v { c[keyPath: path] = b } })
    }

    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, _ label: String, _ group: Setting.Group, _ effect: Setting.Effect, _ help: String,
        _ path: WritableKeyPath<GANConfiguration, T>
    ) -> Setting where T.RawValue == String {
        Setting(key: key, label: label, group: group, kind: .choice(T.allCases.map(\.rawValue)), effect: effect, help: help,
                condition: nil,
                read: { .choice($0[keyPath: path].rawValue) },
                write: { c, v in if case .choice(let name) = v, let t = T(rawValue: name) { c[keyPath: path] = t } })
    }

    /// The hidden activation: a name, with the leaky slope kept in its own setting.
    private static func activation(_ key: String, _ group: Setting.Group, _ noun: String,
                                   _ path: WritableKeyPath<GANConfiguration, Network>) -> Setting {
        Setting(key: key, label: "Activation", group: group, kind: .choice(["relu", "leaky-relu", "tanh"]), effect: .rebuild,
                help: "Activation of \(noun)'s hidden layers.", condition: nil,
                read: { .choice($0[keyPath: path].activation.name) },
                write: { c, v in
                    guard case .choice(let name) = v else { return }
                    let slope = c[keyPath: path].leakySlope
                    switch name {
                    case "relu": c[keyPath: path].activation = .relu
                    case "tanh": c[keyPath: path].activation = .tanh
                    case "leaky-relu": c[keyPath: path].activation = .leakyReLU(slope: slope)
                    default: break
                    }
                })
    }

    /// The run's seed (JSON-safe range).
    private static var seed: Setting {
        Setting(key: "seed", label: "Seed", group: .training, kind: .integer(0...Int(maximumSeed)), effect: .rebuild,
                help: "Seed of the run's random stream: the same seed replays the same run.", condition: nil,
                read: { .integer(Int(truncatingIfNeeded: $0.seed)) },
                write: { c, v in if case .integer(let i) = v, i >= 0 { c.seed = UInt64(i) } })
    }
}
