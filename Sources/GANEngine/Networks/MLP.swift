/// A multilayer perceptron: [Dense → (BatchNorm) → activation] × hidden, then Dense → output activation.
///
/// The network holds only parameters (and batch-norm running statistics); activations live in
/// an `MLPWorkspace`, so training and the views can evaluate the same weights on batches of
/// different sizes, each with its own preallocated buffers.
public final class MLP {
    /// The layers in order.
    public let layers: [Layer]
    /// The dense layers in order (what initialisation and weight clipping touch).
    public let denseLayers: [Dense]
    /// Every trainable tensor, in layer order.
    public let parameters: [Parameter]
    /// Columns of the input.
    public let inputWidth: Int
    /// Columns of the output.
    public let outputWidth: Int
    /// The Dense → activation pairs that inference by blocks and training by pairs walk; nil with batch norm.
    let densePairs: [DensePair]?

    /// Builds and initialises a network; `hiddenWidths` may be empty (a single affine map).
    public init(inputWidth: Int, hiddenWidths: [Int], outputWidth: Int, activation: Activation,
                outputActivation: Activation, batchNorm: Bool = false,
                initialization: Initialization = .ganLab, backend: GEMMBackend = .automatic,
                random: inout RandomSource) {
        var layers: [Layer] = []
        var dense: [Dense] = []
        var width = inputWidth
        for (index, hidden) in hiddenWidths.enumerated() {
            let layer = Dense(inputWidth: width, outputWidth: hidden, name: "dense\(index)", backend: backend)
            dense.append(layer)
            layers.append(layer)
            if batchNorm { layers.append(BatchNorm(width: hidden, name: "batchnorm\(index)")) }
            layers.append(ActivationLayer(activation, width: hidden))
            width = hidden
        }
        let output = Dense(inputWidth: width, outputWidth: outputWidth, name: "dense\(hiddenWidths.count)", backend: backend)
        dense.append(output)
        layers.append(output)
        if outputActivation != .linear { layers.append(ActivationLayer(outputActivation, width: outputWidth)) }
        for layer in dense { initialization.apply(to: layer, random: &random) }
        self.layers = layers
        self.denseLayers = dense
        self.parameters = layers.flatMap { $0.parameters }
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
        densePairs = Self.densePairs(for: layers)
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Multiply-adds of one forward pass per input row (dense layers only).
    public var multiplyAddsPerRow: Int { denseLayers.reduce(0) { $0 + $1.inputWidth * $1.outputWidth } }

    /// Runs the network on `workspace.input` (its rows set by the caller); returns `workspace.output`.
    /// (rows, inputWidth) -> (rows, outputWidth). Without batch norm, inference runs by row blocks
    /// (`MLP+Inference.swift`) and training by Dense → activation pairs (`MLP+FusedPairs.swift`).
    @discardableResult
    public func forward(_ workspace: MLPWorkspace, mode: ForwardMode) -> Matrix {
        if let pairs = densePairs {
            if mode == .inference { return inferByBlocks(workspace, pairs: pairs) }
            if !workspace.isForwardOnly { return forwardByPairs(workspace, pairs: pairs) }
        }
        let activations = workspace.activations
        for index in layers.indices {
            layers[index].forward(activations[index], into: activations[index + 1], mode: mode)
        }
        return activations[layers.count]
    }

    /// Backpropagates `workspace.outputGradient` (dL/d output, rows as the last forward) through the
    /// network: writes parameter gradients when asked, and `workspace.inputGradient` when asked.
    /// Must follow a forward of the same workspace (a `.training` one if the net has batch norm).
    public func backward(_ workspace: MLPWorkspace, computesParameterGradients: Bool = true,
                         computesInputGradient: Bool = false) {
        precondition(!workspace.isForwardOnly, "MLP.backward: a forward-only workspace keeps no gradients")
        if let pairs = densePairs {
            backwardByPairs(workspace, pairs: pairs, computesParameterGradients: computesParameterGradients,
                            computesInputGradient: computesInputGradient)
            return
        }
        let activations = workspace.activations, gradients = workspace.gradients
        for index in layers.indices.reversed() {
            let needsInputGradient = index > 0 || computesInputGradient
            layers[index].backward(input: activations[index], output: activations[index + 1],
                                   outputGradient: gradients[index + 1],
                                   inputGradient: needsInputGradient ? gradients[index] : nil,
                                   computesParameterGradients: computesParameterGradients)
        }
    }

    /// All parameter values concatenated in layer order (for snapshots and determinism checks).
    public var flattenedParameters: [Float] {
        parameters.flatMap { $0.value.values }
    }

    /// True when every parameter is finite.
    public var isFinite: Bool { parameters.allSatisfy { $0.value.isFinite } }

    /// Clamps every parameter to [−limit, limit] (WGAN weight clipping, Arjovsky et al., 2017, Algorithm 1).
    public func clipParameters(to limit: Float) {
        for parameter in parameters {
            let v = parameter.value.data
            for i in 0..<parameter.value.count { v[i] = min(max(v[i], -limit), limit) }
        }
    }

    /// Squared L2 norm of all parameter gradients from the last backward.
    public var gradientNormSquared: Double {
        var sum = 0.0
        for parameter in parameters {
            let g = parameter.gradient.data
            for i in 0..<parameter.gradient.count { sum += Double(g[i]) * Double(g[i]) }
        }
        return sum
    }
}

/// Preallocated activations and gradients for evaluating one `MLP` on up to `rowCapacity` rows.
public final class MLPWorkspace {
    /// activations[0] is the input, activations[i + 1] the output of layer i.
    public let activations: [Matrix]
    /// gradients[i] = dL/d activations[i] (empty matrices in a forward-only workspace).
    public let gradients: [Matrix]
    /// True when the workspace serves only `forward`: no gradient buffers, half the memory.
    public let isForwardOnly: Bool
    /// True when the hidden activations hold one row block (`MLP.inferenceBlockRows`), not every row: a
    /// forward-only workspace of a network that infers by blocks (`MLP+Inference.swift`) keeps only the input and
    /// the output whole, so a view pass over thousands of rows touches a few KiB of hidden activations, not MiBs.
    public let hiddenRowsAreBlocks: Bool

    /// Buffers for `network` with room for `rowCapacity` rows (rows start at `rowCapacity`).
    ///
    /// A view pass over thousands of rows that never runs `backward` asks for `isForwardOnly`: no gradients, and
    /// the hidden activations share two buffers per width, alternating by layer (a layer never reads and writes
    /// the same one; `backward` would need them all, so it is not allowed), each one row block tall when the
    /// network infers by blocks: megabytes less per run in the lab, and a working set that stays in cache when 64
    /// runs' frames are built in turn.
    public init(for network: MLP, rowCapacity: Int, isForwardOnly: Bool = false) {
        var widths = [network.inputWidth]
        for layer in network.layers { widths.append(layer.outputWidth) }
        self.isForwardOnly = isForwardOnly
        hiddenRowsAreBlocks = isForwardOnly && network.densePairs != nil
        if isForwardOnly {
            let hiddenRows = hiddenRowsAreBlocks ? min(rowCapacity, MLP.inferenceBlockRows) : rowCapacity
            var shared: [Int: [Matrix]] = [:]
            activations = widths.indices.map { index in
                let width = widths[index]
                if index == 0 || index == widths.count - 1 { return Matrix(rows: rowCapacity, columns: width) }
                if shared[width] == nil { shared[width] = [Matrix(rows: hiddenRows, columns: width), Matrix(rows: hiddenRows, columns: width)] }
                return shared[width]![index % 2]
            }
        } else {
            activations = widths.map { Matrix(rows: rowCapacity, columns: $0) }
        }
        gradients = widths.map { Matrix(rows: isForwardOnly ? 0 : rowCapacity, columns: $0) }
    }

    /// The network input; write into it, then call `forward`.
    public var input: Matrix { activations[0] }
    /// The network output after `forward`.
    public var output: Matrix { activations[activations.count - 1] }
    /// Write dL/d output here before `backward`.
    public var outputGradient: Matrix { gradients[gradients.count - 1] }
    /// dL/d input after `backward(computesInputGradient: true)`.
    public var inputGradient: Matrix { gradients[0] }

    /// Sets the row count of the input and the output gradient (allocates only beyond capacity).
    public func setRows(_ rows: Int) {
        input.setRows(rows)
        if !isForwardOnly { outputGradient.setRows(rows) }
    }
}
