/// The quantisations of docs/protocol.md §3.2, one function each, shared by the encoder and the decoder.
/// Values that are not finite encode as 0 (a diverged run's frame is still a valid frame).
public enum FrameQuantization {
    /// A coordinate: i16 q = round(v · 16384), clamped to [-2, 2).
    @inline(__always)
    public static func coordinate(_ v: Float) -> Int16 {
        guard v.isFinite else { return 0 }
        return Int16(max(-32768, min(32767, (v * 16384).rounded())))
    }

    /// The coordinate an i16 stands for.
    @inline(__always)
    public static func coordinate(_ q: Int16) -> Float { Float(q) / 16384 }

    /// The scale of a vector section: the largest absolute finite component (0 when there is none).
    public static func vectorScale(_ values: UnsafeBufferPointer<Float>) -> Float {
        var scale: Float = 0
        for v in values where v.isFinite { scale = max(scale, abs(v)) }
        return scale
    }

    /// A vector component: i8 q = round(v / scale · 127).
    @inline(__always)
    public static func vector(_ v: Float, inverseScale: Float) -> Int8 {
        guard v.isFinite else { return 0 }
        return Int8(max(-127, min(127, (v * inverseScale * 127).rounded())))
    }

    /// The component an i8 stands for.
    @inline(__always)
    public static func vector(_ q: Int8, scale: Float) -> Float { Float(q) * scale / 127 }

    /// A probability: u8 q = round(p · 255), clamped to [0, 1].
    @inline(__always)
    public static func probability(_ p: Float) -> UInt8 {
        guard p.isFinite else { return 0 }
        return UInt8(max(0, min(255, (p * 255).rounded())))
    }

    /// The probability a u8 stands for.
    @inline(__always)
    public static func probability(_ q: UInt8) -> Float { Float(q) / 255 }

    /// A relative density: u8 q = round(d · 16), 255 meaning ≥ 15.94.
    @inline(__always)
    public static func density(_ d: Float) -> UInt8 {
        guard d.isFinite else { return 0 }
        return UInt8(max(0, min(255, (d * 16).rounded())))
    }

    /// The density a u8 stands for.
    @inline(__always)
    public static func density(_ q: UInt8) -> Float { Float(q) / 16 }
}
