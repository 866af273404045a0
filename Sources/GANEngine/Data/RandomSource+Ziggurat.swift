#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A fast standard normal deviate for the samplers in the training step.
///
/// Box–Muller (`nextGaussian`) costs a log, a sine and a cosine per pair, about 20 ns a deviate here; the
/// data and noise of one default epoch need about 1,000 deviates, a large share of a 50 µs epoch. The
/// ziggurat takes one 64-bit draw and two table reads for 98.8 % of deviates, falling back to exact
/// rejection (wedges, and Marsaglia's tail method beyond r) otherwise, so the result is exactly N(0, 1).
/// Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000
/// (128 layers, r = 3.442619855899, v = 9.91256303526217e-3).
extension RandomSource {
    /// A standard normal deviate by the ziggurat method (same seed, same stream; not the same values as `nextGaussian`).
    @inline(__always)
    public mutating func nextNormal() -> Float {
        nextNormal(using: ZigguratTables.shared)
    }

    /// `nextNormal()` with the tables already fetched, so loops pay for the lazy global only once.
    @inline(__always)
    mutating func nextNormal(using tables: ZigguratTables) -> Float {
        let x = tables.x, f = tables.f
        while true {
            let bits = next()
            let layer = Int(bits & 127)
            let sign: Double = bits & 128 == 0 ? 1 : -1
            // 53 bits, [0, 1); converted as a signed integer (one instruction on x86-64, unlike UInt64).
            let u = Double(Int64(bitPattern: bits >> 11)) * (1.0 / 9_007_199_254_740_992.0)
            let z = u * x[layer]
            // Inside the layer's inner rectangle: always under the curve.
            if z < x[layer + 1] { return Float(sign * z) }
            if layer == 0 {
                // The tail beyond r: Marsaglia (1964).
                var a = 0.0, b = 0.0
                repeat {
                    a = -log(Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)) / ZigguratTables.r
                    b = -log(Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0))
                } while 2 * b < a * a
                return Float(sign * (ZigguratTables.r + a))
            }
            // A wedge: accept if a uniform height between the layer's bounds lies under exp(−z²/2).
            let height = f[layer] + Double(nextUniform()) * (f[layer + 1] - f[layer])
            if height < exp(-0.5 * z * z) { return Float(sign * z) }
        }
    }
}

/// The ziggurat's layer edges x[0 ... 128] and f(x) = exp(−x²/2) at each, built once.
///
/// Kept in never-freed raw buffers rather than arrays so the hot path does no reference counting.
struct ZigguratTables: @unchecked Sendable {
    /// Start of the tail (128 layers).
    static let r = 3.442619855899
    /// Area of every layer (each rectangle, and the base strip plus tail).
    static let v = 9.91256303526217e-3
    /// The one set of tables (immutable after construction).
    static let shared = ZigguratTables()

    /// Layer edges: x[0] = v / f(r) (base strip width), x[1] = r, decreasing to x[128] = 0.
    let x: UnsafePointer<Double>
    /// f at each edge.
    let f: UnsafePointer<Double>

    private init() {
        func density(_ t: Double) -> Double { exp(-0.5 * t * t) }
        let x = UnsafeMutablePointer<Double>.allocate(capacity: 129)
        x[0] = Self.v / density(Self.r)
        x[1] = Self.r
        // Each layer i ≥ 1 has area v: x[i] · (f(x[i+1]) − f(x[i])) = v.
        for i in 1..<127 { x[i + 1] = (-2 * log(Self.v / x[i] + density(x[i]))).squareRoot() }
        x[128] = 0
        let f = UnsafeMutablePointer<Double>.allocate(capacity: 129)
        for i in 0...128 { f[i] = density(x[i]) }
        self.x = UnsafePointer(x)
        self.f = UnsafePointer(f)
    }
}
