/// The grid drawn points are snapped to when the lab accepts them: multiples of 1/4096 of a unit (0.00024 of
/// the square, far below a pixel), so a share link can carry them exactly in a few bytes (docs/run-format.md §4).
public enum DrawingGrid {
    /// Grid steps per unit.
    public static let stepsPerUnit: Float = 4096

    /// `coordinates` rounded to the grid (exact: k/4096 is a Float for every |k| ≤ 2²⁴).
    public static func snap(_ coordinates: [Float]) -> [Float] {
        coordinates.map { ($0 * stepsPerUnit).rounded() / stepsPerUnit }
    }

    /// The grid step of a coordinate, nil when it is not exactly on the grid (or not finite).
    static func step(of x: Float) -> Int? {
        guard x.isFinite, abs(x) <= 2 else { return nil }
        let q = (x * stepsPerUnit).rounded()
        return q / stepsPerUnit == x ? Int(q) : nil
    }
}
