/// Why training stopped.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A weight or loss became NaN or infinite during `epoch` (1-based, the epoch being trained).
    case diverged(epoch: Int, network: String)

    /// "training diverged at epoch 812: discriminator weights are not finite".
    public var description: String {
        switch self {
        case .diverged(let epoch, let network):
            return "training diverged at epoch \(epoch): \(network) weights or loss are not finite (NaN or infinity)"
        }
    }
}
