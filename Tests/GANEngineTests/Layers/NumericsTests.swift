import Testing
import GANEngine
#if canImport(Glibc)
import Glibc
#endif

@Suite struct NumericsTests {
    @Test func tanhLayer_matchesLibmOnEveryLaneAndTail() {
        // 8-lane path plus a scalar tail: 203 values from −12 to 12, including tiny ones.
        var values: [Float] = (0..<200).map { -12 + 24 * Float($0) / 199 }
        values += [1e-5, -3e-3, 0]
        let x = Matrix(rows: 1, columns: values.count, values: values)
        let y = Matrix(rows: 1, columns: values.count)
        ActivationLayer(.tanh, width: values.count).forward(x, into: y, mode: .inference)
        for (i, v) in values.enumerated() {
            #expect(abs(y.data[i] - tanhf(v)) <= 3e-7 + 2e-6 * abs(tanhf(v)), "tanh(\(v))")
        }
    }

    @Test func softplusAndSigmoid_areFiniteAndAccurate() {
        for x: Float in [-1e30, -100, -20, -1, -1e-4, 0, 1e-4, 1, 20, 100, 1e30] {
            let (sp, p) = softplusAndSigmoid(x)
            #expect(sp.isFinite && p.isFinite && p >= 0 && p <= 1)
            let exact = Double(x) > 30 ? Double(x) : log1p(exp(Double(x)))
            #expect(abs(Double(sp) - exact) <= 1e-6 * max(1, abs(exact)))
        }
    }
}
