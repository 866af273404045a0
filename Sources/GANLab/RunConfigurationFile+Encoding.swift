import Foundation
import GANEngine

extension RunConfigurationFile {
    /// The configuration as a run configuration file (every key written, sorted, pretty-printed),
    /// so a run can be saved and replayed: reading the text back gives the same configuration.
    public static func text(for configuration: GANConfiguration, preset: Preset?) -> String {
        // A Float's shortest decimal form (0.9, not 0.8999999761581421), which reads back to the same Float.
        func decimal(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }
        func network(_ n: GANConfiguration.Network) -> [String: Any] {
            var o: [String: Any] = [
                "hiddenLayers": n.hiddenLayers, "neurons": n.neurons, "activation": n.activation.name,
                "batchNorm": n.batchNorm, "initialization": n.initialization.rawValue,
                "optimizer": n.optimizer.kind.rawValue, "learningRate": decimal(n.optimizer.learningRate),
                "momentum": decimal(n.optimizer.momentum), "beta1": decimal(n.optimizer.beta1),
                "beta2": decimal(n.optimizer.beta2), "rmsDecay": decimal(n.optimizer.rmsDecay),
                "epsilon": decimal(n.optimizer.epsilon),
            ]
            if case .leakyReLU(let slope) = n.activation { o["leakySlope"] = decimal(slope) }
            return o
        }
        let c = configuration
        var root: [String: Any] = [
            "seed": c.seed, "loss": c.loss.rawValue, "labelSmoothing": c.labelSmoothing,
            "smoothedRealLabel": decimal(c.smoothedRealLabel), "weightClip": decimal(c.weightClip),
            "discriminatorSteps": c.discriminatorSteps, "generatorSteps": c.generatorSteps, "batchSize": c.batchSize,
            "generatorOutput": c.generatorOutput.rawValue,
            "noise": ["kind": c.noiseKind.rawValue, "dimension": c.noiseDimension],
            "generator": network(c.generator), "discriminator": network(c.discriminator),
            "views": ["fakeSampleCount": c.views.fakeSampleCount, "decisionResolution": c.views.decisionResolution,
                      "arrowGridResolution": c.views.arrowGridResolution, "manifoldCells": c.views.manifoldCells,
                      "metricSampleCount": c.views.metricSampleCount],
        ]
        if let preset { root["preset"] = preset.rawValue }
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
