import Foundation
import GANEngine

/// A run described by a JSON file: an optional preset, then overrides of any `GANConfiguration` field.
///
/// Every key is optional; unknown keys are errors naming the key (a typo must not be silently
/// ignored). Keys mirror `GANConfiguration`:
/// ```json
/// { "preset": "ring", "seed": 1, "loss": "non-saturating", "labelSmoothing": false,
///   "smoothedRealLabel": 0.9, "weightClip": 0.01, "discriminatorSteps": 2, "generatorSteps": 1,
///   "batchSize": 150, "generatorOutput": "tanh", "noise": { "kind": "gaussian", "dimension": 2 },
///   "generator": { "hiddenLayers": 2, "neurons": 8, "activation": "relu", "leakySlope": 0.2,
///                  "batchNorm": false, "initialization": "gan-lab", "optimizer": "sgd",
///                  "learningRate": 0.03, "momentum": 0.9, "beta1": 0.9, "beta2": 0.999,
///                  "rmsDecay": 0.9, "epsilon": 1e-8 },
///   "discriminator": { ... as generator ... },
///   "views": { "fakeSampleCount": 500, "decisionResolution": 64, "arrowGridResolution": 16,
///              "manifoldCells": 20, "metricSampleCount": 4000 } }
/// ```
public struct RunConfigurationFile: Decodable, Sendable {
    /// The preset named in the file, if any.
    public var preset: Preset?
    /// The file's top-level object.
    private var root: [String: JSONValue]

    /// Reads and parses `path`; errors name the file problem or the offending key.
    public init(contentsOf path: String) throws(RunConfigurationError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// Parses JSON `data`.
    public init(data: Data) throws(RunConfigurationError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .malformed(reason: Self.describe(error))
        }
        guard case .object(let object) = value else { throw .wrongType(key: "(top level)", expected: "an object") }
        root = object
        preset = nil
        try checkKeys(object, path: "", allowed: Self.topKeys)
        if let name = try string("preset", in: object, path: "") {
            guard let p = Preset(rawValue: name) else {
                throw .badValue(key: "preset", value: name, allowed: Preset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            preset = p
        }
    }

    /// Decodable conformance: the same as `init(data:)` on the decoder's top-level value.
    public init(from decoder: Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard case .object(let object) = value else { throw RunConfigurationError.wrongType(key: "(top level)", expected: "an object") }
        root = object
        try checkKeys(object, path: "", allowed: Self.topKeys)
        preset = nil
        if let name = try string("preset", in: object, path: "") {
            guard let p = Preset(rawValue: name) else {
                throw RunConfigurationError.badValue(key: "preset", value: name, allowed: Preset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            preset = p
        }
    }

    /// Keys allowed at the top level.
    static let topKeys: Set<String> = ["preset", "seed", "loss", "labelSmoothing", "smoothedRealLabel", "weightClip",
                                       "discriminatorSteps", "generatorSteps", "batchSize", "generatorOutput", "noise",
                                       "generator", "discriminator", "views"]
    /// Keys allowed in "generator" and "discriminator".
    static let networkKeys: Set<String> = ["hiddenLayers", "neurons", "activation", "leakySlope", "batchNorm", "initialization",
                                           "optimizer", "learningRate", "momentum", "beta1", "beta2", "rmsDecay", "epsilon"]
    /// Keys allowed in "noise".
    static let noiseKeys: Set<String> = ["kind", "dimension"]
    /// Keys allowed in "views".
    static let viewKeys: Set<String> = ["fakeSampleCount", "decisionResolution", "arrowGridResolution", "manifoldCells", "metricSampleCount"]

    /// Writes the file's values over `configuration` (range checks are `GANConfiguration.validate()`'s job).
    public func apply(to configuration: inout GANConfiguration) throws(RunConfigurationError) {
        let o = root
        if let v = try integer("seed", in: o, path: "") {
            guard v >= 0 else { throw .badValue(key: "seed", value: String(v), allowed: "0...\(UInt64.max)") }
            configuration.seed = UInt64(v)
        }
        if let v = try string("loss", in: o, path: "") { configuration.loss = try choice(GANLoss.self, v, key: "loss") }
        if let v = try bool("labelSmoothing", in: o, path: "") { configuration.labelSmoothing = v }
        if let v = try float("smoothedRealLabel", in: o, path: "") { configuration.smoothedRealLabel = v }
        if let v = try float("weightClip", in: o, path: "") { configuration.weightClip = v }
        if let v = try integer("discriminatorSteps", in: o, path: "") { configuration.discriminatorSteps = v }
        if let v = try integer("generatorSteps", in: o, path: "") { configuration.generatorSteps = v }
        if let v = try integer("batchSize", in: o, path: "") { configuration.batchSize = v }
        if let v = try string("generatorOutput", in: o, path: "") {
            configuration.generatorOutput = try choice(GANConfiguration.GeneratorOutput.self, v, key: "generatorOutput")
        }
        if let noise = try object("noise", in: o, path: "", allowed: Self.noiseKeys) {
            if let v = try string("kind", in: noise, path: "noise.") {
                configuration.noiseKind = try choice(NoiseDistribution.Kind.self, v, key: "noise.kind")
            }
            if let v = try integer("dimension", in: noise, path: "noise.") { configuration.noiseDimension = v }
        }
        if let g = try object("generator", in: o, path: "", allowed: Self.networkKeys) {
            try apply(g, path: "generator.", to: &configuration.generator)
        }
        if let d = try object("discriminator", in: o, path: "", allowed: Self.networkKeys) {
            try apply(d, path: "discriminator.", to: &configuration.discriminator)
        }
        if let views = try object("views", in: o, path: "", allowed: Self.viewKeys) {
            let p = "views."
            if let v = try integer("fakeSampleCount", in: views, path: p) { configuration.views.fakeSampleCount = v }
            if let v = try integer("decisionResolution", in: views, path: p) { configuration.views.decisionResolution = v }
            if let v = try integer("arrowGridResolution", in: views, path: p) { configuration.views.arrowGridResolution = v }
            if let v = try integer("manifoldCells", in: views, path: p) { configuration.views.manifoldCells = v }
            if let v = try integer("metricSampleCount", in: views, path: p) { configuration.views.metricSampleCount = v }
        }
    }

    private func apply(_ o: [String: JSONValue], path p: String, to network: inout GANConfiguration.Network) throws(RunConfigurationError) {
        if let v = try integer("hiddenLayers", in: o, path: p) { network.hiddenLayers = v }
        if let v = try integer("neurons", in: o, path: p) { network.neurons = v }
        let slope = try float("leakySlope", in: o, path: p)
        if let v = try string("activation", in: o, path: p) {
            switch v {
            case "relu": network.activation = .relu
            case "tanh": network.activation = .tanh
            case "leaky-relu": network.activation = .leakyReLU(slope: slope ?? Activation.defaultLeakySlope)
            default: throw .badValue(key: p + "activation", value: v, allowed: "relu, leaky-relu, tanh")
            }
        } else if let slope {
            network.activation = .leakyReLU(slope: slope)
        }
        if let v = try bool("batchNorm", in: o, path: p) { network.batchNorm = v }
        if let v = try string("initialization", in: o, path: p) {
            network.initialization = try choice(Initialization.self, v, key: p + "initialization")
        }
        if let v = try string("optimizer", in: o, path: p) {
            network.optimizer.kind = try choice(OptimizerConfiguration.Kind.self, v, key: p + "optimizer")
        }
        if let v = try float("learningRate", in: o, path: p) { network.optimizer.learningRate = v }
        if let v = try float("momentum", in: o, path: p) { network.optimizer.momentum = v }
        if let v = try float("beta1", in: o, path: p) { network.optimizer.beta1 = v }
        if let v = try float("beta2", in: o, path: p) { network.optimizer.beta2 = v }
        if let v = try float("rmsDecay", in: o, path: p) { network.optimizer.rmsDecay = v }
        if let v = try float("epsilon", in: o, path: p) { network.optimizer.epsilon = v }
    }

    // MARK: typed access with key-naming errors

    private func checkKeys(_ o: [String: JSONValue], path: String, allowed: Set<String>) throws(RunConfigurationError) {
        for key in o.keys.sorted() where !allowed.contains(key) {
            throw .unknownKey(key: path + key, allowed: allowed.sorted().joined(separator: ", "))
        }
    }

    private func object(_ key: String, in o: [String: JSONValue], path: String, allowed: Set<String>) throws(RunConfigurationError) -> [String: JSONValue]? {
        guard let value = o[key] else { return nil }
        guard case .object(let inner) = value else { throw .wrongType(key: path + key, expected: "an object") }
        try checkKeys(inner, path: path + key + ".", allowed: allowed)
        return inner
    }

    private func string(_ key: String, in o: [String: JSONValue], path: String) throws(RunConfigurationError) -> String? {
        guard let value = o[key] else { return nil }
        guard case .string(let s) = value else { throw .wrongType(key: path + key, expected: "a string") }
        return s
    }

    private func bool(_ key: String, in o: [String: JSONValue], path: String) throws(RunConfigurationError) -> Bool? {
        guard let value = o[key] else { return nil }
        guard case .bool(let b) = value else { throw .wrongType(key: path + key, expected: "true or false") }
        return b
    }

    private func float(_ key: String, in o: [String: JSONValue], path: String) throws(RunConfigurationError) -> Float? {
        guard let value = o[key] else { return nil }
        guard case .number(let d) = value, d.isFinite else { throw .wrongType(key: path + key, expected: "a number") }
        return Float(d)
    }

    private func integer(_ key: String, in o: [String: JSONValue], path: String) throws(RunConfigurationError) -> Int? {
        guard let value = o[key] else { return nil }
        guard case .number(let d) = value, d.isFinite, d == d.rounded(), abs(d) < 9e15 else {
            throw .wrongType(key: path + key, expected: "an integer")
        }
        return Int(d)
    }

    private func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ value: String, key: String) throws(RunConfigurationError) -> T where T.RawValue == String {
        guard let result = T(rawValue: value) else {
            throw .badValue(key: key, value: value, allowed: T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return result
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// Why a run configuration file was rejected; every case names the file problem or the key.
public enum RunConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The bytes are not JSON.
    case malformed(reason: String)
    /// A key the format does not know (e.g. a typo).
    case unknownKey(key: String, allowed: String)
    /// A value of the wrong JSON type.
    case wrongType(key: String, expected: String)
    /// A string value outside its set of names.
    case badValue(key: String, value: String, allowed: String)

    /// A one-line message naming the key and what is allowed.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read configuration file \(path): \(reason)"
        case .malformed(let reason): return "configuration file is not valid JSON: \(reason)"
        case .unknownKey(let key, let allowed): return "unknown key \"\(key)\" in configuration file; allowed: \(allowed)"
        case .wrongType(let key, let expected): return "\"\(key)\" must be \(expected)"
        case .badValue(let key, let value, let allowed): return "\"\(key)\" = \"\(value)\" is not allowed; allowed: \(allowed)"
        }
    }
}

/// Any JSON value (Codable), so the reader can report unknown keys and wrong types by name.
enum JSONValue: Decodable, Sendable, Equatable {
    /// The six JSON kinds.
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    /// Decodes whichever kind the value is.
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}
