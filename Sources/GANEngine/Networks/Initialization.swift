/// How a dense layer's weights are drawn (biases always start at 0).
public enum Initialization: String, Sendable, CaseIterable, Equatable {
    /// N(0, 1/fan_in), GAN Lab's scheme (σ = 1/√fan_in). The default.
    case ganLab = "gan-lab"
    /// Xavier/Glorot normal (Glorot & Bengio, 2010): N(0, 2/(fan_in + fan_out)).
    case xavier
    /// He/Kaiming normal (He et al., 2015): N(0, 2/fan_in), suited to ReLU.
    case he

    /// The standard deviation of the weights of a (fanIn → fanOut) layer.
    public func standardDeviation(fanIn: Int, fanOut: Int) -> Float {
        switch self {
        case .ganLab: return 1 / Float(fanIn).squareRoot()
        case .xavier: return (2 / Float(fanIn + fanOut)).squareRoot()
        case .he: return (2 / Float(fanIn)).squareRoot()
        }
    }

    /// Fills `layer`'s weights from `random` and zeroes its bias.
    public func apply(to layer: Dense, random: inout RandomSource) {
        let sigma = standardDeviation(fanIn: layer.inputWidth, fanOut: layer.outputWidth)
        let w = layer.weight.value
        for i in 0..<w.count { w.data[i] = sigma * random.nextGaussian() }
        layer.bias.value.fill(0)
    }
}
