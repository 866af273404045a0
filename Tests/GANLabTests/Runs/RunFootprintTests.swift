import Foundation
import Testing
import GANEngine
import GANLab
import LabClient

@Suite(.serialized) struct RunFootprintTests {
    @Test func estimate_isSmallForTheDefaults_andHugeForTheLargestSettings() throws {
        let preset = RunFootprint.bytes(GANConfiguration(preset: .gaussians))
        #expect(preset > 1 << 20 && preset < 16 << 20, "\(preset)")
        var huge = GANConfiguration()
        huge.generator.hiddenLayers = 6; huge.generator.neurons = 256
        huge.views.metricSampleCount = 100_000
        #expect(RunFootprint.bytes(huge) > 1 << 30, "100,000 metric samples through a 6×256 generator")
    }

    @Test func runsTooBigForOneRunOrTheServer_areRefusedWithTheFigure() throws {
        // Limits set from the estimate of one "medium" run (the lab's defaults with a big batch and a wider D).
        var mediumConfiguration = GANConfiguration(preset: LabConfiguration().defaultPreset, profile: .lab, seed: 1)
        mediumConfiguration.batchSize = 4096
        mediumConfiguration.discriminator.neurons = 128
        mediumConfiguration.discriminator.hiddenLayers = 2
        let mediumBytes = RunFootprint.bytes(mediumConfiguration)
        let lab = try TestLab { $0.maxRunBytes = mediumBytes * 5 / 4; $0.memoryBudgetBytes = mediumBytes * 3 / 2 }
        let huge = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(
            #"{"config":{"generator.hiddenLayers":6,"generator.neurons":256,"views.metricSampleCount":100000}}"#.utf8))
        #expect(huge.status == 400)
        let error = try #require(huge.json?["error"] as? [String: Any])
        #expect(error["kind"] as? String == "out-of-range" && error["field"] as? String == "config")
        #expect((error["message"] as? String)?.contains("GB of memory") == true, "\(error)")
        let run = try lab.create(["playing": false])
        let socket = try lab.join(run.code, token: run.token)
        let grow = try socket.command(["type": "configure", "config": ["batchSize": 4096, "discriminator.neurons": 256,
                                                                       "discriminator.hiddenLayers": 6]])
        #expect(grow["code"] as? String == "out-of-range", "\(grow)")
        #expect(try lab.lab.registry.run(RunCode(run.code)!).status.configuration.batchSize != 4096, "nothing changed")
        // Two medium runs do not fit a budget of one and a half.
        let medium = #"{"config":{"batchSize":4096,"discriminator.neurons":128,"discriminator.hiddenLayers":2}}"#
        let first = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(medium.utf8))
        let second = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(medium.utf8))
        #expect(first.status == 201, "\(first.text)")
        #expect(second.status == 503 && (second.json?["error"] as? [String: Any])?["kind"] as? String == "busy", "\(second.text)")
    }

    @Test func workEstimate_isSmallForEveryPresetsDefaults_andRefusesTheHeaviestSettings() throws {
        let limits = LabConfiguration()
        for preset in Preset.allCases {
            for profile in SettingsProfile.allCases {
                let c = GANConfiguration(preset: preset, profile: profile, seed: 1)
                #expect(RunCost.updateWork(c) * 10 < limits.maxUpdateWork, "\(preset) \(profile): \(RunCost.updateWork(c))")
                #expect(RunCost.frameWork(c) * 10 < limits.maxFrameWork, "\(preset) \(profile): \(RunCost.frameWork(c))")
            }
        }
        var heavy = GANConfiguration(preset: .gaussians, profile: .lab, seed: 1)
        for network in [\GANConfiguration.generator, \GANConfiguration.discriminator] {
            heavy[keyPath: network].hiddenLayers = 6
            heavy[keyPath: network].neurons = 256
        }
        heavy.batchSize = 4096
        #expect(RunCost.updateWork(heavy) > 10 * limits.maxUpdateWork, "the audit's 6×256 at batch 4,096: \(RunCost.updateWork(heavy))")

        let lab = try TestLab()  // 6 × 256 at batch 1,024 fits the memory limit but not the work limit
        let refused = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(
            #"{"config":{"generator.hiddenLayers":6,"generator.neurons":256,"discriminator.hiddenLayers":6,"discriminator.neurons":256,"batchSize":1024,"views.metricSampleCount":1000}}"#.utf8))
        #expect(refused.status == 400)
        let error = try #require(refused.json?["error"] as? [String: Any])
        let message = try #require(error["message"] as? String)
        #expect(error["kind"] as? String == "out-of-range" && error["field"] as? String == "config")
        #expect(message.contains("per network update") && message.contains("batchSize 1024") && message.contains("discriminator 6 × 256"),
                "names the settings: \(message)")
    }

    @Test func frameWorkEstimate_refusesViewsTooHeavyForOneTurn() throws {
        let lab = try TestLab { $0.maxRunBytes = 1 << 30; $0.memoryBudgetBytes = 2 << 30 }
        let body = #"{"config":{"generator.hiddenLayers":6,"generator.neurons":256,"discriminator.hiddenLayers":6,"discriminator.neurons":256,"batchSize":16}}"#
        let refused = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(body.utf8))
        #expect(refused.status == 400, "\(refused.text)")
        let message = try #require((refused.json?["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains("per frame") && message.contains("views.metricSampleCount 4000"), "\(message)")
        let lighter = #"{"config":{"generator.hiddenLayers":6,"generator.neurons":256,"discriminator.hiddenLayers":6,"discriminator.neurons":256,"batchSize":16,"views.metricSampleCount":1000,"views.decisionResolution":32}}"#
        #expect(try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(lighter.utf8)).status == 201,
                "fewer metric samples and a coarser field fit")
    }
}
