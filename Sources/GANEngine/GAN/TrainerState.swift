/// Everything a `Trainer` needs to continue exactly where it stopped, as a plain value: what the lab
/// saves, exports, forks and restores. The engine knows nothing of files; the lab encodes this value.
///
/// Contract: `Trainer(restoring: trainer.capturedState(), distribution: sameData)` trained M more
/// epochs gives bit-identical weights to the original trained M more (same build).
public struct TrainerState: Sendable, Equatable {
    /// One named tensor: weights, biases, optimiser moments, batch-norm running statistics, averaged weights...
    public struct Tensor: Sendable, Equatable {
        /// A stable dotted name, e.g. "generator.dense0.weight", "discriminator.optimizer.m.3".
        public var name: String
        /// Rows and columns.
        public var rows: Int, columns: Int
        /// Row-major values (rows·columns of them).
        public var values: [Float]

        /// A tensor; `values.count` must be rows·columns.
        public init(name: String, rows: Int, columns: Int, values: [Float]) {
            precondition(values.count == rows * columns, "tensor \(name): \(values.count) values for \(rows)×\(columns)")
            self.name = name
            self.rows = rows
            self.columns = columns
            self.values = values
        }

        /// Bitwise equality, so NaN payloads and signed zeros compare as stored.
        public static func == (a: Tensor, b: Tensor) -> Bool {
            a.name == b.name && a.rows == b.rows && a.columns == b.columns
                && a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
    }

    /// The largest epoch a state may hold, 2^48: 89 years at 100,000 epochs a second, exact in a JavaScript number,
    /// and far enough below `Int.max` that epoch arithmetic (the next metrics row, a replay's target) cannot overflow.
    public static let maximumEpoch = 1 << 48

    /// The settings in force.
    public var configuration: GANConfiguration
    /// Epochs trained so far.
    public var epoch: Int
    /// The run's random stream, exactly (`RandomSource.state`).
    public var random: [UInt64]
    /// Named scalars (optimiser step counts, last losses, ...), names stable across versions.
    public var scalars: [String: Double]
    /// Named tensors, in a stable order.
    public var tensors: [Tensor]

    /// A state from its parts.
    public init(configuration: GANConfiguration, epoch: Int, random: [UInt64], scalars: [String: Double], tensors: [Tensor]) {
        self.configuration = configuration
        self.epoch = epoch
        self.random = random
        self.scalars = scalars
        self.tensors = tensors
    }

    /// Bitwise equality of the scalars too (NaN losses before the first update compare equal).
    public static func == (a: TrainerState, b: TrainerState) -> Bool {
        a.configuration == b.configuration && a.epoch == b.epoch && a.random == b.random && a.tensors == b.tensors
            && a.scalars.count == b.scalars.count
            && a.scalars.allSatisfy { key, value in b.scalars[key].map { $0.bitPattern == value.bitPattern } ?? false }
    }
}
