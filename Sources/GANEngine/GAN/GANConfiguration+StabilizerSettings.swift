/// The settings-table entries of the stabilisers (issue 9) and of the learning-rate schedules, each with
/// its `when` condition, help text and effect. All are live: they change between steps and keep the weights.
extension GANConfiguration {
    /// Penalties, instance noise and the generator average, in page order (inserted before `seed`).
    static var stabilizerSettings: [Setting] {
        typealias C = GANConfiguration
        typealias L = Limits
        let penalised: [SettingValue] = [.choice(GradientPenalty.r1.rawValue), .choice(GradientPenalty.r2.rawValue)]
        return [
            choice("penalty", "Gradient penalty", .stabilizers, .live,
                   "Zero-centred gradient penalty on the discriminator: R1 on real samples (Mescheder et al., 2018: makes "
                   + "training converge where plain GAN training circles), R2 on fakes, or none.", \C.penalty),
            number("penaltyWeight", "Penalty weight γ", .stabilizers, L.penaltyWeight, true, .live,
                   "γ in γ/2 · E‖∇ₓD(x)‖²: larger damps the discriminator more.", \C.penaltyWeight, when: ("penalty", penalised)),
            integer("penaltyInterval", "Penalty every", .stabilizers, L.penaltyInterval, .live,
                    "Apply the penalty every n-th discriminator update with weight n·γ (lazy regularisation, Karras et al., "
                    + "2020): about the same effect for less work.", \C.penaltyInterval, when: ("penalty", penalised)),
            number("wassersteinPenaltyWeight", "WGAN-GP weight λ", .stabilizers, L.wassersteinPenaltyWeight, true, .live,
                   "λ in λ · E(‖∇ₓD(x̂)‖ − 1)² at random interpolates (Gulrajani et al., 2017; 10 in the paper).",
                   \C.wassersteinPenaltyWeight, when: ("loss", [.choice(GANLoss.wassersteinGP.rawValue)])),
            boolean("instanceNoise", "Instance noise", .stabilizers, .live,
                    "Gaussian noise on every point the discriminator sees, real and fake, so their supports overlap "
                    + "(Sønderby et al., 2016).", \C.instanceNoise),
            number("instanceNoiseSigma", "Noise σ", .stabilizers, L.instanceNoiseSigma, true, .live,
                   "Standard deviation of the instance noise at the start (the square is 2 wide).", \C.instanceNoiseSigma,
                   when: ("instanceNoise", [.boolean(true)])),
            integer("instanceNoiseAnnealEpochs", "Noise anneals over", .stabilizers, L.instanceNoiseAnnealEpochs, .live,
                    "Epochs over which σ falls linearly to 0 (0 keeps it constant).", \C.instanceNoiseAnnealEpochs,
                    when: ("instanceNoise", [.boolean(true)])),
            boolean("generatorAverage", "Average the generator", .stabilizers, .live,
                    "Keep an exponential moving average of the generator's weights (Yazıcı et al., 2019): steadier "
                    + "fakes than the raw generator, which circles the target.", \C.generatorAverage),
            number("generatorAverageDecay", "Average decay β", .stabilizers, L.averageDecay, false, .live,
                   "β of the average: 0.999 averages over about the last 1,000 generator updates.", \C.generatorAverageDecay,
                   when: ("generatorAverage", [.boolean(true)])),
            boolean("views.showAveragedGenerator", "Show the averaged generator", .views, .live,
                    "Draw and measure the averaged generator (on) or the raw one (off).", \C.views.showsAveragedGenerator,
                    when: ("generatorAverage", [.boolean(true)])),
        ]
    }

    /// One network's learning-rate schedule.
    static func scheduleSettings(_ name: String, _ noun: String, _ group: Setting.Group,
                                 _ path: WritableKeyPath<GANConfiguration, LearningRateSchedule>) -> [Setting] {
        typealias L = Limits
        let key = name + ".schedule"
        let decaying: [SettingValue] = [.choice("step"), .choice("cosine"), .choice("linear")]
        return [
            choice(key, "Learning-rate schedule", group, .live,
                   "How \(noun)'s learning rate changes over the epochs: constant (GAN Lab), step, cosine or linear "
                   + "decay towards a floor.", path.appending(path: \.kind)),
            integer(name + ".scheduleEpochs", "Schedule length", group, L.scheduleEpochs, .live,
                    "Epochs of the cosine or linear decay, or between two steps.", path.appending(path: \.epochs),
                    when: (key, decaying)),
            number(name + ".scheduleFloor", "Schedule floor", group, L.scheduleFloor, false, .live,
                   "The lowest learning rate, as a fraction of the base rate.", path.appending(path: \.floor),
                   when: (key, decaying)),
            number(name + ".scheduleStepFactor", "Step factor", group, L.scheduleStepFactor, false, .live,
                   "The factor applied to the learning rate at each step.", path.appending(path: \.stepFactor),
                   when: (key, [.choice("step")])),
        ]
    }
}
