import GANEngine

extension SettingsProfile {
    /// The settings a run starts from for `data` and `seed`. A preset brings its per-preset settings; a drawing
    /// starts from the engine's defaults. Until the engine's per-profile defaults land, `lab` and `reference`
    /// both give today's per-preset settings (`GANConfiguration(preset:seed:)`, GAN Lab's own, mapped).
    public func configuration(for data: RunData, seed: UInt64) -> GANConfiguration {
        switch data {
        case .preset(let preset):
            return GANConfiguration(preset: preset, seed: seed)
        case .points:
            var configuration = GANConfiguration()
            configuration.seed = seed
            return configuration
        }
    }
}

extension RunData {
    /// The distribution to sample (a drawing is validated again: a record may come from a file).
    public func makeDistribution() throws(LabProtocolError) -> any RealDistribution {
        switch self {
        case .preset(let preset):
            return preset.makeDistribution()
        case .points(let coordinates, let weights, let jitter):
            guard coordinates.count % 2 == 0 else { throw .badField(field: "points", message: "points must be (x, y) pairs.") }
            let points = stride(from: 0, to: coordinates.count, by: 2).map { SIMD2(coordinates[$0], coordinates[$0 + 1]) }
            do {
                return try DrawnDistribution(points: points, weights: weights, jitter: jitter)
            } catch {
                throw LabProtocolError(error)
            }
        }
    }

    /// The preset, when the data is one.
    public var preset: Preset? {
        if case .preset(let preset) = self { return preset }
        return nil
    }
}
