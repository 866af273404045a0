/// Whether a forward pass is part of a training step or only evaluates the network (views).
public enum ForwardMode: Sendable, Equatable {
    /// Batch statistics in batch norm; caches what `backward` needs.
    case training
    /// Running statistics in batch norm; changes no state.
    case inference
}

/// A trainable tensor and the gradient of the current loss with respect to it.
public final class Parameter {
    /// Current value.
    public let value: Matrix
    /// dLoss/dValue from the last backward pass (overwritten, not accumulated, by each pass).
    public let gradient: Matrix
    /// A short name for diagnostics, e.g. "dense0.weight".
    public let name: String

    /// A zero-valued parameter of the given shape.
    public init(rows: Int, columns: Int, name: String) {
        value = Matrix(rows: rows, columns: columns)
        gradient = Matrix(rows: rows, columns: columns)
        self.name = name
    }
}

/// One stage of an MLP. Forward maps x (rows, inputWidth) to y (rows, outputWidth); backward
/// receives x, y and dL/dy and writes dL/dx and the parameter gradients.
public protocol Layer: AnyObject {
    /// Columns of the input.
    var inputWidth: Int { get }
    /// Columns of the output.
    var outputWidth: Int { get }
    /// The trainable tensors (empty for activations).
    var parameters: [Parameter] { get }
    /// y = f(x); `y.rows` is set to `x.rows`.
    func forward(_ x: Matrix, into y: Matrix, mode: ForwardMode)
    /// Given x, y = f(x) and dy = dL/dy: writes dx = dL/dx when `dx` is non-nil, and the
    /// parameter gradients when `computesParameterGradients`.
    func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                  inputGradient dx: Matrix?, computesParameterGradients: Bool)
}
