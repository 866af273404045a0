/// Inference in row blocks, each block through every layer before the next block.
///
/// A view pass evaluates thousands of rows (a 64² field, 4,000 metric fakes). Layer by layer, each hidden activation
/// of a 3 × 64 network over 4,096 rows is 1 MiB: every elementwise pass (the bias rows before the product, the
/// activation after it) streams it from memory, and those passes took a quarter of a lab frame. Block by block, a
/// block's activations stay in cache from one layer to the next, and the bias and activation (`activateAddingBias`,
/// shared with training by pairs) run right after the product while it is in cache. Rows are independent in
/// inference, so the result is the layer-by-layer one.
extension MLP {
    /// Rows per block: a block of a 64-wide activation (32 KiB) stays in L1, and its products take OpenBLAS's
    /// small-matrix kernels, which skip packing. Measured (`ganlab bench --only frame`, 32–2,048 tried): 128 was
    /// fastest for the lab's 64-wide networks and as fast as any other for 8- and 32-wide ones.
    public static let inferenceBlockRows = 128

    /// `forward(workspace, mode: .inference)` by blocks. A pair's pre-activation buffer holds x·W without the bias
    /// (a scratch row block: a forward-only workspace may share the activation's buffer with the pair's input), as in
    /// training; `backward` can follow (it reads activation outputs), as the views' gradient pass does.
    /// With `workspace.hiddenRowsAreBlocks`, every block reuses the hidden buffers from their first row: only the
    /// input and the output are addressed by the block's start.
    func inferByBlocks(_ workspace: MLPWorkspace, pairs: [DensePair]) -> Matrix {
        let a = workspace.activations
        let rows = a[0].rows
        let last = layers.count
        let blocked = workspace.hiddenRowsAreBlocks
        for index in 1...last { a[index].setRows(blocked && index != last ? min(rows, Self.inferenceBlockRows) : rows) }
        var start = 0
        while start < rows {
            let count = min(Self.inferenceBlockRows, rows - start)
            /// The first row of this block in activation `index`.
            func row(_ index: Int) -> Int { blocked && index != 0 && index != last ? 0 : start }
            for step in pairs {
                let dense = step.dense, i = step.layerIndex
                let inWidth = dense.inputWidth, outWidth = dense.outputWidth
                let x = a[i].data + row(i) &* inWidth, z = a[i + 1].data + row(i + 1) &* outWidth
                guard let activation = step.activation else {
                    GEMM.multiply(.none, .none, m: count, n: outWidth, k: inWidth, a: x, lda: inWidth,
                                  b: dense.weight.value.data, ldb: outWidth, beta: 0, c: z, ldc: outWidth,
                                  rowBias: dense.bias.value.data, backend: dense.backend)
                    continue
                }
                GEMM.multiply(.none, .none, m: count, n: outWidth, k: inWidth, a: x, lda: inWidth,
                              b: dense.weight.value.data, ldb: outWidth, beta: 0, c: z, ldc: outWidth, backend: dense.backend)
                Self.activateAddingBias(activation, z, bias: dense.bias.value.data, into: a[i + 2].data + row(i + 2) &* outWidth,
                                        rows: count, columns: outWidth)
            }
            start &+= count
        }
        return a[layers.count]
    }
}
