import GANEngine

extension RunData {
    /// The engine distribution this data describes; a drawing's points, weights and jitter are validated here.
    public func makeDistribution() throws(DataError) -> any RealDistribution {
        switch self {
        case .preset(let preset):
            return preset.makeDistribution()
        case .points(let coordinates, let weights, let jitter):
            let points = stride(from: 0, to: coordinates.count - 1, by: 2).map { SIMD2(coordinates[$0], coordinates[$0 + 1]) }
            return try DrawnDistribution(points: points, weights: weights, jitter: jitter)
        }
    }
}
