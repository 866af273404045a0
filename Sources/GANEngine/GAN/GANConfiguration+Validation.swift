extension GANConfiguration {
    /// Throws the first value outside `Limits`, naming its field and the allowed range.
    public func validate() throws(ConfigurationError) {
        try Self.check("generator", generator, allowsBatchNorm: true)
        try Self.check("discriminator", discriminator, allowsBatchNorm: false)
        try Self.check("noiseDimension", noiseDimension, in: Limits.noiseDimension)
        try Self.check("smoothedRealLabel", smoothedRealLabel, in: Limits.smoothedRealLabel)
        try Self.check("weightClip", weightClip, in: Limits.weightClip)
        try Self.check("discriminatorSteps", discriminatorSteps, in: Limits.steps)
        try Self.check("generatorSteps", generatorSteps, in: Limits.steps)
        try Self.check("batchSize", batchSize, in: Limits.batchSize)
        try Self.check("views.fakeSampleCount", views.fakeSampleCount, in: Limits.fakeSampleCount)
        try Self.check("views.decisionResolution", views.decisionResolution, in: Limits.decisionResolution)
        try Self.check("views.arrowGridResolution", views.arrowGridResolution, in: Limits.arrowGridResolution)
        try Self.check("views.manifoldCells", views.manifoldCells, in: Limits.manifoldCells)
        try Self.check("views.metricSampleCount", views.metricSampleCount, in: Limits.metricSampleCount)
    }

    private static func check(_ name: String, _ network: Network, allowsBatchNorm: Bool) throws(ConfigurationError) {
        try check(name + ".hiddenLayers", network.hiddenLayers, in: Limits.hiddenLayers)
        try check(name + ".neurons", network.neurons, in: Limits.neurons)
        switch network.activation {
        case .relu, .tanh: break
        case .leakyReLU(let slope): try check(name + ".leakySlope", slope, in: Limits.leakySlope)
        case .sigmoid, .linear:
            throw ConfigurationError(field: name + ".activation", value: network.activation.name, allowed: "relu, leaky-relu, tanh")
        }
        if network.batchNorm && !allowsBatchNorm {
            throw ConfigurationError(field: name + ".batchNorm", value: "true", allowed: "false (batch norm is for the generator only)")
        }
        let o = network.optimizer
        try check(name + ".learningRate", o.learningRate, in: Limits.learningRate)
        try check(name + ".momentum", o.momentum, in: Limits.decay)
        try check(name + ".beta1", o.beta1, in: Limits.decay)
        try check(name + ".beta2", o.beta2, in: Limits.decay)
        try check(name + ".rmsDecay", o.rmsDecay, in: Limits.decay)
        try check(name + ".epsilon", o.epsilon, in: Limits.epsilon)
    }

    /// Throws unless `range` contains `value`, naming `name` and the range.
    static func check(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) {
        if !range.contains(value) {
            throw ConfigurationError(field: name, value: String(value), allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// Throws unless `range` contains `value` (NaN never does), naming `name` and the range.
    static func check(_ name: String, _ value: Float, in range: ClosedRange<Float>) throws(ConfigurationError) {
        // NaN fails `contains`, so it is rejected too.
        if !range.contains(value) {
            throw ConfigurationError(field: name, value: "\(value)", allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
    }
}
