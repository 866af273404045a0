/// Element-wise nonlinearities for hidden and output layers.
public enum Activation: Sendable, Equatable, Hashable {
    /// max(0, x) (the reference's only hidden activation; the default).
    case relu
    /// x for x > 0, slope·x otherwise (Maas et al., 2013); slope in (0, 1), default 0.2.
    case leakyReLU(slope: Float)
    /// tanh(x) (the generator's default output, keeping fakes inside [-1, 1]²).
    case tanh
    /// 1 / (1 + e^(−x)).
    case sigmoid
    /// x (no nonlinearity; the discriminator's logit output and the generator's linear option).
    case linear

    /// The default LeakyReLU slope.
    public static let defaultLeakySlope: Float = 0.2

    /// Short name used by the CLI and the configuration file ("relu", "leaky-relu", "tanh", ...).
    public var name: String {
        switch self {
        case .relu: return "relu"
        case .leakyReLU: return "leaky-relu"
        case .tanh: return "tanh"
        case .sigmoid: return "sigmoid"
        case .linear: return "linear"
        }
    }
}

/// An activation applied element-wise as a layer; backward uses only the output y.
public final class ActivationLayer: Layer {
    /// Which function.
    public let activation: Activation
    /// Equal to `outputWidth`.
    public let inputWidth: Int
    /// Equal to `inputWidth`.
    public var outputWidth: Int { inputWidth }
    /// None: activations have no parameters.
    public var parameters: [Parameter] { [] }

    /// An activation over `width` columns.
    public init(_ activation: Activation, width: Int) {
        if case .leakyReLU(let slope) = activation {
            precondition(slope > 0 && slope < 1, "LeakyReLU slope must be in (0, 1)")
        }
        self.activation = activation
        inputWidth = width
    }

    /// x (rows, w) -> y (rows, w) = f(x); y may be x itself.
    public func forward(_ x: Matrix, into y: Matrix, mode: ForwardMode) {
        y.setRows(x.rows)
        Self.apply(activation, x.data, y.data, count: x.count)
    }

    /// dx = dy·f′(x), with f′ written in terms of y: ReLU 1[y>0], LeakyReLU 1 or slope, tanh 1−y², sigmoid y(1−y).
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, computesParameterGradients: Bool) {
        guard let dx else { return }
        dx.setRows(y.rows)
        Self.applyDerivative(activation, output: y.data, outputGradient: dy.data, into: dx.data, count: y.count)
    }

    /// y[i] = f(x[i]) for `count` elements (x and y may alias). ReLU-family loops run eight lanes
    /// at a time with selects instead of branches (signs are random, so branches mispredict).
    @inline(__always)
    public static func apply(_ activation: Activation, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let vectorCount = count & ~7
        switch activation {
        case .relu:
            var i = 0
            while i < vectorCount {
                let v = SIMD8<Float>(loading: x + i)
                v.replacing(with: 0, where: v .< 0).store(to: y + i)
                i &+= 8
            }
            while i < count { let v = x[i]; y[i] = v > 0 ? v : 0; i &+= 1 }
        case .leakyReLU(let slope):
            var i = 0
            while i < vectorCount {
                let v = SIMD8<Float>(loading: x + i)
                v.replacing(with: slope * v, where: v .< 0).store(to: y + i)
                i &+= 8
            }
            while i < count { let v = x[i]; y[i] = v > 0 ? v : slope * v; i &+= 1 }
        case .tanh:
            var i = 0
            while i < vectorCount {
                vectorTanh(SIMD8<Float>(loading: x + i)).store(to: y + i)
                i &+= 8
            }
            while i < count { y[i] = stableTanh(x[i]); i &+= 1 }
        case .sigmoid:
            for i in 0..<count { y[i] = sigmoid(x[i]) }
        case .linear:
            if UnsafePointer(y) != x { y.update(from: x, count: count) }
        }
    }

    /// dx[i] = dy[i]·f′ expressed through y[i] (dx may alias dy).
    @inline(__always)
    public static func applyDerivative(_ activation: Activation, output y: UnsafePointer<Float>,
                                       outputGradient dy: UnsafePointer<Float>,
                                       into dx: UnsafeMutablePointer<Float>, count: Int) {
        let vectorCount = count & ~7
        var i = 0
        switch activation {
        case .relu:
            while i < vectorCount {
                let v = SIMD8<Float>(loading: y + i), g = SIMD8<Float>(loading: dy + i)
                g.replacing(with: 0, where: v .<= 0).store(to: dx + i)
                i &+= 8
            }
            while i < count { dx[i] = y[i] > 0 ? dy[i] : 0; i &+= 1 }
        case .leakyReLU(let slope):
            while i < vectorCount {
                let v = SIMD8<Float>(loading: y + i), g = SIMD8<Float>(loading: dy + i)
                g.replacing(with: slope * g, where: v .<= 0).store(to: dx + i)
                i &+= 8
            }
            while i < count { dx[i] = y[i] > 0 ? dy[i] : slope * dy[i]; i &+= 1 }
        case .tanh:
            while i < vectorCount {
                let v = SIMD8<Float>(loading: y + i), g = SIMD8<Float>(loading: dy + i)
                (g * (1 - v * v)).store(to: dx + i)
                i &+= 8
            }
            while i < count { let v = y[i]; dx[i] = dy[i] * (1 - v * v); i &+= 1 }
        case .sigmoid:
            for i in 0..<count { let v = y[i]; dx[i] = dy[i] * v * (1 - v) }
        case .linear:
            if UnsafePointer(dx) != dy { dx.update(from: dy, count: count) }
        }
    }
}
