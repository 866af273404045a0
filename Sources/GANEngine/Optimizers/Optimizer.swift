#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Applies one update rule to a fixed list of parameters, keeping per-parameter state
/// (velocity, moments) preallocated so a step allocates nothing.
///
/// Changing only the learning rate keeps the state; changing the rule makes a new optimiser
/// over the same parameters (the weights are untouched, the state starts from zero).
public final class Optimizer {
    /// The rule and its hyperparameters (the learning rate may be changed between steps).
    @exclusivity(unchecked) public var configuration: OptimizerConfiguration
    /// The parameters this optimiser updates.
    public let parameters: [Parameter]
    /// Number of steps taken (Adam's bias correction uses it).
    @exclusivity(unchecked) public internal(set) var stepCount: Int = 0
    /// First state tensor per parameter (velocity, Adam's m, or RMSProp's r).
    private let firstState: [Matrix]
    /// Second state tensor per parameter (Adam's v).
    private let secondState: [Matrix]

    /// An optimiser over `parameters` with zeroed state.
    public init(_ configuration: OptimizerConfiguration, parameters: [Parameter]) {
        self.configuration = configuration
        self.parameters = parameters
        let needsFirst = configuration.kind != .sgd
        let needsSecond = configuration.kind == .adam
        firstState = parameters.map { needsFirst ? Matrix(rows: $0.value.rows, columns: $0.value.columns) : Matrix(rows: 0, columns: 0) }
        secondState = parameters.map { needsSecond ? Matrix(rows: $0.value.rows, columns: $0.value.columns) : Matrix(rows: 0, columns: 0) }
    }

    /// The state tensors by meaning, each named "<state>.<parameter>" (momentum's `velocity`, Adam's `m`
    /// and `v`, RMSProp's `meanSquare`; none for SGD): what `TrainerState` captures and restores.
    var stateTensors: [(name: String, matrix: Matrix)] {
        let names: [String]
        switch configuration.kind {
        case .sgd: names = []
        case .momentum: names = ["velocity"]
        case .adam: names = ["m", "v"]
        case .rmsprop: names = ["meanSquare"]
        }
        var result: [(name: String, matrix: Matrix)] = []
        for (slot, state) in names.enumerated() {
            for (index, parameter) in parameters.enumerated() {
                result.append((state + "." + parameter.name, slot == 0 ? firstState[index] : secondState[index]))
            }
        }
        return result
    }

    /// Applies one update from the gradients currently stored in the parameters.
    public func step() {
        stepCount += 1
        let c = configuration
        let lr = c.learningRate
        for index in parameters.indices {
            let parameter = parameters[index]
            let w = parameter.value.data, g = parameter.gradient.data
            let n = parameter.value.count
            switch c.kind {
            case .sgd:
                for i in 0..<n { w[i] -= lr * g[i] }
            case .momentum:
                let v = firstState[index].data, mu = c.momentum
                for i in 0..<n {
                    v[i] = mu * v[i] + g[i]
                    w[i] -= lr * v[i]
                }
            case .adam:
                // Kingma & Ba (2014), Algorithm 1.
                let m = firstState[index].data, v = secondState[index].data
                let b1 = c.beta1, b2 = c.beta2, eps = c.epsilon
                let correction1 = 1 - Float(pow(Double(b1), Double(stepCount)))
                let correction2 = 1 - Float(pow(Double(b2), Double(stepCount)))
                for i in 0..<n {
                    let gi = g[i]
                    m[i] = b1 * m[i] + (1 - b1) * gi
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                    let mHat = m[i] / correction1, vHat = v[i] / correction2
                    w[i] -= lr * mHat / (sqrtf(vHat) + eps)
                }
            case .rmsprop:
                let r = firstState[index].data, rho = c.rmsDecay, eps = c.epsilon
                for i in 0..<n {
                    let gi = g[i]
                    r[i] = rho * r[i] + (1 - rho) * gi * gi
                    w[i] -= lr * gi / (sqrtf(r[i]) + eps)
                }
            }
        }
    }
}
