/// Unaligned loads and stores of eight Floats: the one way the engine's vector loops touch memory.
///
/// They live on `SIMD8<Float>` (not on `GEMM`) because activations, losses and reductions use them as
/// much as the matrix kernels do.
extension SIMD8 where Scalar == Float {
    /// The eight floats at `pointer` (any alignment).
    @inline(__always)
    init(loading pointer: UnsafePointer<Float>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Writes the eight lanes to `pointer` (any alignment).
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}
