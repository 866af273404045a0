import Foundation
import Testing
import GANLab
import LabClient

/// `POST /api/runs` with `share` or `pretrained` and keys that one already says (issue 7 audit: they were silently
/// ignored, e.g. `{"share":B,"seed":5}` gave the link's seed): 400 `bad-field` naming the conflicting keys.
@Suite struct CreateRunConflictTests {
    private let lab: TestLab
    /// A share link of a paused ring run with seed 3.
    private let blob: String

    init() throws {
        lab = try TestLab(beforeStart: { lab in
            StorageRoutes.install(on: lab, pretrained: PretrainedRuns(directory: PretrainedRunsTests.directory))
        })
        let answer = try lab.create(["preset": "ring", "playing": false, "seed": 3])
        blob = try #require(try HTTPClient.request("GET", "/api/runs/\(answer.code)/share", port: lab.port).json?["blob"] as? String)
    }

    private func post(_ body: [String: Any]) throws -> HTTPClient.Response {
        try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(try JSONSerialization.data(withJSONObject: body)))
    }

    @Test(arguments: [
        (["seed": 5] as [String: Any], "seed", "share cannot be combined with seed"),
        (["preset": "ring"], "preset", "share cannot be combined with preset"),
        (["config": ["generator.learningRate": 0.01]], "config", "share cannot be combined with config"),
        (["defaults": "reference", "seed": 5], "defaults", "share cannot be combined with defaults, seed"),
        (["points": [[0.1, 0.2]], "jitter": 0.1], "points", "share cannot be combined with points, jitter"),
        (["pretrained": "ring"], "pretrained", "share cannot be combined with pretrained"),
    ])
    func aShareLinkWithOtherKeys_isRefused_namingThem(extra: [String: Any], field: String, message: String) throws {
        let answer = try post(extra.merging(["share": blob]) { a, _ in a })
        #expect(answer.status == 400)
        let error = try #require(answer.json?["error"] as? [String: Any])
        #expect(error["kind"] as? String == "bad-field")
        #expect(error["field"] as? String == field)
        #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
    }

    @Test func aPretrainedRunWithOtherKeys_isRefused_namingThem() throws {
        let answer = try post(["pretrained": "ring", "seed": 99, "preset": "moons"])
        #expect(answer.status == 400)
        let error = try #require(answer.json?["error"] as? [String: Any])
        #expect(error["kind"] as? String == "bad-field" && error["field"] as? String == "preset")
        #expect((error["message"] as? String)?.contains("pretrained cannot be combined with preset, seed") == true, "\(error)")
    }

    @Test func speedAndPlaying_goWithEither_andApply() throws {
        let shared = try post(["share": blob, "playing": false, "speed": 50])
        #expect(shared.status == 201)
        let sharedRun = try #require(shared.json?["run"] as? [String: Any])
        #expect(sharedRun["state"] as? String == "paused" && sharedRun["speed"] as? Double == 50)
        #expect(sharedRun["seed"] as? Int == 3, "the link's seed")

        let pretrained = try post(["pretrained": "ring", "playing": true, "speed": 20])
        #expect(pretrained.status == 201)
        let run = try #require(pretrained.json?["run"] as? [String: Any])
        #expect(run["state"] as? String == "playing" && run["speed"] as? Double == 20)
        let plain = try #require(try post(["pretrained": "ring"]).json?["run"] as? [String: Any])
        #expect(plain["state"] as? String == "paused", "paused unless asked")
    }
}
