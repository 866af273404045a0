/// Activations on eight lanes at once, for the batch-in-lanes path (`FusedMLP`).
///
/// The same functions as `ActivationLayer.apply` / `applyDerivative` (their reference), with f′
/// written through the output y, so a backward pass needs only what the forward pass stored. Each
/// is a type so that a loop is specialised for it: the `Activation` switch runs once per layer
/// (`FusedMLP`'s `dispatch`), never per vector.
protocol LaneActivation {
    /// y = f(z) for eight lanes.
    func apply(_ z: SIMD8<Float>) -> SIMD8<Float>
    /// dL/dz = dL/dy ⊙ f′, with f′ computed from y.
    func backpropagate(_ dy: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float>
}

/// max(0, z); f′ = 1[y > 0].
struct ReLULanes: LaneActivation {
    @inline(__always) func apply(_ z: SIMD8<Float>) -> SIMD8<Float> { z.replacing(with: 0, where: z .< 0) }
    @inline(__always) func backpropagate(_ dy: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> {
        dy.replacing(with: 0, where: y .<= 0)
    }
}

/// z for z > 0, slope·z otherwise; f′ = 1 or slope (y ≤ 0 exactly when z ≤ 0).
struct LeakyReLULanes: LaneActivation {
    /// The negative slope.
    let slope: Float
    @inline(__always) func apply(_ z: SIMD8<Float>) -> SIMD8<Float> { z.replacing(with: slope * z, where: z .< 0) }
    @inline(__always) func backpropagate(_ dy: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> {
        dy.replacing(with: slope * dy, where: y .<= 0)
    }
}

/// tanh by `vectorTanh`; f′ = 1 − y².
struct TanhLanes: LaneActivation {
    @inline(__always) func apply(_ z: SIMD8<Float>) -> SIMD8<Float> { vectorTanh(z) }
    @inline(__always) func backpropagate(_ dy: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> { dy * (1 - y * y) }
}

/// 1 / (1 + e^(−z)) by `vectorExp`; f′ = y(1 − y).
struct SigmoidLanes: LaneActivation {
    @inline(__always) func apply(_ z: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + vectorExp(-z)) }
    @inline(__always) func backpropagate(_ dy: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> { dy * y * (1 - y) }
}

/// The identity; f′ = 1.
struct LinearLanes: LaneActivation {
    @inline(__always) func apply(_ z: SIMD8<Float>) -> SIMD8<Float> { z }
    @inline(__always) func backpropagate(_ dy: SIMD8<Float>, output y: SIMD8<Float>) -> SIMD8<Float> { dy }
}
