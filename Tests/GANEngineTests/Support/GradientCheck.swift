import GANEngine

/// Finite-difference helpers shared by the gradient-check suites.
enum GradientCheck {
    /// A matrix of uniform values in [low, high).
    static func randomMatrix(rows: Int, columns: Int, low: Float = -1, high: Float = 1, random: inout RandomSource) -> Matrix {
        let m = Matrix(rows: rows, columns: columns)
        for i in 0..<m.count { m.data[i] = random.nextUniform(in: low, high) }
        return m
    }

    /// L = Σ upstream ⊙ layer(x), in Double.
    static func weightedOutput(_ layer: Layer, _ x: Matrix, upstream: Matrix, mode: ForwardMode) -> Double {
        let y = Matrix(rows: x.rows, columns: layer.outputWidth)
        layer.forward(x, into: y, mode: mode)
        var sum = 0.0
        for i in 0..<y.count { sum += Double(y.data[i]) * Double(upstream.data[i]) }
        return sum
    }

    /// Largest |analytic − numeric| / max(1, |numeric|) over x and every parameter of `layer`,
    /// for the scalar L = Σ upstream ⊙ layer(x), with central differences of step `h`.
    static func maximumError(layer: Layer, input x: Matrix, upstream: Matrix, mode: ForwardMode = .training,
                             h: Float = 1e-2) -> Double {
        let y = Matrix(rows: x.rows, columns: layer.outputWidth)
        layer.forward(x, into: y, mode: mode)
        let dx = Matrix(rows: x.rows, columns: x.columns)
        layer.backward(input: x, output: y, outputGradient: upstream, inputGradient: dx, computesParameterGradients: true)
        let analyticParameters = layer.parameters.map { $0.gradient.values }
        var worst = 0.0
        func check(_ pointer: UnsafeMutablePointer<Float>, count: Int, analytic: [Float]) {
            for i in 0..<count {
                let saved = pointer[i]
                pointer[i] = saved + h
                let plus = weightedOutput(layer, x, upstream: upstream, mode: mode)
                pointer[i] = saved - h
                let minus = weightedOutput(layer, x, upstream: upstream, mode: mode)
                pointer[i] = saved
                let numeric = (plus - minus) / (2 * Double(h))
                let error = abs(Double(analytic[i]) - numeric) / max(1, abs(numeric))
                worst = max(worst, error)
            }
        }
        check(x.data, count: x.count, analytic: dx.values)
        for (index, parameter) in layer.parameters.enumerated() {
            check(parameter.value.data, count: parameter.value.count, analytic: analyticParameters[index])
        }
        return worst
    }

    /// f at x[i] − h, x[i] and x[i] + h (x[i] restored afterwards): a central difference and its curvature.
    static func probe(_ x: UnsafeMutablePointer<Float>, _ i: Int, h: Float, _ f: () -> Double) -> (minus: Double, centre: Double, plus: Double) {
        let saved = x[i]
        x[i] = saved + h
        let plus = f()
        x[i] = saved - h
        let minus = f()
        x[i] = saved
        return (minus, f(), plus)
    }
}
