import GANEngine

/// What a lab run starts from: a preset (with its hyperparameters), a seed, and its pace.
public struct LabRunSettings: Sendable, Equatable {
    /// Allowed view refresh rates, in frames per second.
    public static let framesPerSecondRange: ClosedRange<Double> = 1...60
    /// Number of real samples drawn once for display.
    public static let shownRealSampleCount = 500

    /// The data distribution and its hyperparameters.
    public var preset: Preset = .gaussians
    /// The seed that fixes data, noise, initialisation and batches.
    public var seed: UInt64 = 1
    /// Training pace while playing.
    public var epochsPerSecond: Double = 100
    /// How often the views are recomputed and published.
    public var framesPerSecond: Double = 10
    /// Whether the run plays as soon as it starts.
    public var startsPlaying = true

    /// Default settings: the reference's default preset, seed 1, playing.
    public init() {}

    /// The engine configuration these settings describe.
    public var configuration: GANConfiguration { GANConfiguration(preset: preset, seed: seed) }

    /// Checks the ranges a person can set from the command line.
    public func validate() throws(LabError) {
        guard RunPace.epochsPerSecondRange.contains(epochsPerSecond) else {
            throw .invalidSetting("epochs per second \(epochsPerSecond) is out of range: allowed 1...100000")
        }
        guard Self.framesPerSecondRange.contains(framesPerSecond) else {
            throw .invalidSetting("frames per second \(framesPerSecond) is out of range: allowed 1...60")
        }
    }
}

/// Errors of the lab layer, each with a message for the person who caused it.
public enum LabError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A setting is outside its allowed range.
    case invalidSetting(String)
    /// A command name the API does not know.
    case unknownCommand(String)

    /// The message shown to the person.
    public var description: String {
        switch self {
        case .invalidSetting(let message): return message
        case .unknownCommand(let name): return "unknown command '\(name)': allowed play, pause, step, reset"
        }
    }
}
