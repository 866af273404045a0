/// Why a `TrainerState` cannot be restored; every case names what is wrong, so a corrupt or foreign
/// saved run is refused with a sentence instead of a trap.
public enum TrainerStateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The configuration is outside the settings table's ranges.
    case invalidConfiguration(ConfigurationError)
    /// The epoch is negative or above `TrainerState.maximumEpoch`.
    case invalidEpoch(Int)
    /// The random words are not a valid `RandomSource.state`.
    case invalidRandomState
    /// A tensor the configuration needs is absent.
    case missingTensor(String)
    /// A tensor the configuration has no use for (another network shape, optimiser or version).
    case unexpectedTensor(String)
    /// A tensor appears twice.
    case duplicateTensor(String)
    /// A tensor of the wrong shape (or whose value count differs from rows × columns).
    case wrongShape(name: String, expected: String, found: String)
    /// A scalar the trainer needs is absent.
    case missingScalar(String)
    /// A scalar the trainer does not know.
    case unexpectedScalar(String)
    /// A scalar with an impossible value (a negative or fractional step count, ...).
    case invalidScalar(name: String, value: Double, allowed: String)

    /// One sentence naming the tensor, scalar or field.
    public var description: String {
        switch self {
        case .invalidConfiguration(let error): return "saved trainer: \(error)"
        case .invalidEpoch(let epoch): return "saved trainer: epoch \(epoch) is outside 0...\(TrainerState.maximumEpoch)"
        case .invalidRandomState: return "saved trainer: the random stream state is not six valid words"
        case .missingTensor(let name): return "saved trainer: tensor \"\(name)\" is missing"
        case .unexpectedTensor(let name): return "saved trainer: tensor \"\(name)\" does not belong to this configuration"
        case .duplicateTensor(let name): return "saved trainer: tensor \"\(name)\" appears twice"
        case .wrongShape(let name, let expected, let found):
            return "saved trainer: tensor \"\(name)\" has shape \(found); expected \(expected)"
        case .missingScalar(let name): return "saved trainer: scalar \"\(name)\" is missing"
        case .unexpectedScalar(let name): return "saved trainer: scalar \"\(name)\" is not known"
        case .invalidScalar(let name, let value, let allowed):
            return "saved trainer: scalar \"\(name)\" = \(value) is not allowed; allowed: \(allowed)"
        }
    }
}
