import Foundation
import Testing
import GANLab
import LabClient

/// The HTTP API of docs/protocol.md §1 over loopback.
@Suite(.serialized) struct RunRoutesTests {
    @Test func create_answers201WithCodeTokenURLAndSummary() throws {
        let lab = try TestLab()
        let response = try HTTPClient.request("POST", "/api/runs", port: lab.port,
                                              body: Array(#"{"preset":"ring","seed":7,"speed":"max","playing":false,"config":{"loss":"hinge"}}"#.utf8))
        #expect(response.status == 201)
        #expect(response.headers["cache-control"] == "no-store")
        let json = try #require(response.json)
        let code = try #require(json["code"] as? String)
        #expect(RunCode(code) != nil && json["url"] as? String == "/r/\(code)")
        #expect((json["token"] as? String)?.count == 32)
        let run = try #require(json["run"] as? [String: Any])
        #expect(run["state"] as? String == "paused" && run["speed"] as? String == "max" && run["seed"] as? Int == 7)
        #expect((run["data"] as? [String: Any])?["preset"] as? String == "ring")
        #expect((run["config"] as? [String: Any])?["loss"] as? String == "hinge")
        #expect(run["createdAt"] as? String != nil && run["forkedFrom"] is NSNull)
        let empty = try HTTPClient.request("POST", "/api/runs", port: lab.port)
        #expect(empty.status == 201, "an empty body means the server's defaults")
        #expect((empty.json?["run"] as? [String: Any])?["state"] as? String == "playing")
    }

    @Test(arguments: [
        (#"{"preset":"donut"}"#, "preset", "bad-field"), (#"{"seed":-3}"#, "seed", "out-of-range"),
        (#"{"config":{"generator.neurons":999}}"#, "generator.neurons", "out-of-range"), (#"{"speed":0}"#, "speed", "out-of-range"),
        (#"{"points":[[0,0],[3,3]]}"#, "points[1]", "out-of-range"), (#"{"what":1}"#, "what", "bad-field"),
        (#"{"defaults":"fancy"}"#, "defaults", "bad-field"), ("not json", nil, "bad-json"), ("[]", nil, "bad-json"),
        (#"{"pretrained":"ring"}"#, "pretrained", "bad-field"), (#"{"share":"abc"}"#, "share", "bad-field"),
    ] as [(String, String?, String)])
    func badBodies_get400NamingTheField(_ body: String, _ field: String?, _ kind: String) throws {
        let lab = try TestLab()
        let response = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(body.utf8))
        #expect(response.status == 400)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["code"] as? Int == 400 && error["kind"] as? String == kind, "\(error)")
        #expect(error["field"] as? String == field)
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test func get_givesTheSummaryWithAnETag_and304WhileNothingChanged() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let first = try HTTPClient.request("GET", "/api/runs/\(run.code.lowercased())", port: lab.port)
        #expect(first.status == 200, "codes are case-insensitive")
        let tag = try #require(first.headers["etag"])
        #expect(first.json?["code"] as? String == run.code && first.json?["viewers"] as? Int == 0)
        let again = try HTTPClient.request("GET", "/api/runs/\(run.code)", port: lab.port, headers: ["If-None-Match": tag])
        #expect(again.status == 304 && again.body.isEmpty)
        let socket = try lab.join(run.code, token: run.token)
        try socket.command(["type": "step"])
        _ = try socket.frame { $0.header.epoch == 1 }
        let changed = try HTTPClient.request("GET", "/api/runs/\(run.code)", port: lab.port, headers: ["If-None-Match": tag])
        #expect(changed.status == 200 && changed.json?["epoch"] as? Int == 1 && changed.json?["viewers"] as? Int == 1)
        for path in ["/api/runs/ZZZZZZ", "/api/runs/nope", "/api/runs/0OIL11"] {
            let missing = try HTTPClient.request("GET", path, port: lab.port)
            #expect(missing.status == 404 && (missing.json?["error"] as? [String: Any])?["kind"] as? String == "not-found")
        }
    }

    @Test func settingsAndPresets_describeTheTables() throws {
        let lab = try TestLab()
        let settings = try #require(try HTTPClient.request("GET", "/api/settings", port: lab.port).json?["settings"] as? [[String: Any]])
        let rate = try #require(settings.first { $0["key"] as? String == "generator.learningRate" })
        #expect(rate["type"] as? String == "number" && rate["scale"] as? String == "log" && rate["effect"] as? String == "live")
        #expect(rate["min"] as? Double == 1e-6 && rate["max"] as? Double == 10 && rate["default"] as? Double == 0.03)
        let momentum = try #require(settings.first { $0["key"] as? String == "generator.momentum" })
        #expect((momentum["when"] as? [String: Any])?["key"] as? String == "generator.optimizer")
        let presets = try #require(try HTTPClient.request("GET", "/api/presets", port: lab.port).json?["presets"] as? [[String: Any]])
        #expect(presets.count == 10)
        let ring8 = try #require(presets.first { $0["name"] as? String == "ring8" })
        #expect(ring8["modes"] as? Int == 8 && (ring8["sample"] as? [Double])?.count == 400 && ring8["pretrained"] as? Bool == false)
    }

    @Test func runsBeyondTheLimit_areRefusedWith503Busy() throws {
        let lab = try TestLab { $0.maxRuns = 2 }
        _ = try lab.create()
        _ = try lab.create()
        let third = try HTTPClient.request("POST", "/api/runs", port: lab.port)
        #expect(third.status == 503)
        #expect((third.json?["error"] as? [String: Any])?["kind"] as? String == "busy")
    }
}

/// What keeps one client from filling the server (docs/api.md, "Limits").
@Suite(.serialized) struct RunCreationLimitTests {
    private func post(_ lab: TestLab, _ body: String = #"{"playing":false}"#) throws -> HTTPClient.Response {
        try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(body.utf8))
    }

    @Test func creates_areRateLimitedPerAddress_andForksAndImportsCountToo() throws {
        let lab = try TestLab(beforeStart: { StorageRoutes.install(on: $0, pretrained: PretrainedRuns(directory: nil)) }) {
            $0.createBurst = 3
            $0.createsPerMinute = 1
        }
        let first = try post(lab)
        let code = try #require(first.json?["code"] as? String)
        #expect(try post(lab).status == 201)
        let viewer = try lab.join(code)
        #expect(try viewer.command(["type": "fork"])["type"] as? String == "ack", "the third new run: a fork")
        let refused = try post(lab)
        #expect(refused.status == 429)
        let error = try #require(refused.json?["error"] as? [String: Any])
        #expect(error["kind"] as? String == "rate-limited" && (error["message"] as? String)?.contains("new runs") == true, "\(error)")
        #expect(try viewer.command(["type": "fork"])["code"] as? String == "rate-limited", "forks share the address's budget")
        let export = try HTTPClient.request("GET", "/api/runs/\(code)/export", port: lab.port)
        #expect(export.status == 200)
        let imported = try HTTPClient.request("POST", "/api/runs/import", port: lab.port, body: export.body)
        #expect(imported.status == 429, "imports too: \(imported.text)")
        #expect(lab.lab.registry.count == 3, "nothing was made beyond the budget")
    }

    @Test func fullServer_evictsTheLongestIdleRunNobodyWatches_thenAnswersBusy() throws {
        let lab = try TestLab { $0.maxRuns = 2; $0.evictableAfter = 0 }
        let a = try lab.create(["playing": false]), b = try lab.create(["playing": false])
        let c = try lab.create(["playing": false])  // full: a (idle longest, no viewers) is saved and leaves memory
        #expect(!lab.lab.registry.isLive(RunCode(a.code)!) && lab.lab.registry.isLive(RunCode(b.code)!))
        #expect(try lab.archive.load(RunCode(a.code)!) != nil, "saved before it left")
        let watchB = try lab.join(b.code), watchC = try lab.join(c.code)
        let busy = try post(lab)
        #expect(busy.status == 503 && (busy.json?["error"] as? [String: Any])?["kind"] as? String == "busy", "everyone is watched: \(busy.text)")
        #expect(try HTTPClient.request("GET", "/api/runs/\(a.code)", port: lab.port).status == 503, "loading a back needs room too")
        watchB.client.close()
        #expect(eventually { (try? lab.lab.registry.run(RunCode(b.code)!).status.viewers) == 0 })
        let back = try HTTPClient.request("GET", "/api/runs/\(a.code)", port: lab.port)
        #expect(back.status == 200, "b, no longer watched, made room for a: \(back.text)")
        #expect(lab.lab.registry.isLive(RunCode(a.code)!) && !lab.lab.registry.isLive(RunCode(b.code)!))
        withExtendedLifetime(watchC) {}
    }

    @Test func freshRuns_areNotEvicted() throws {
        let lab = try TestLab { $0.maxRuns = 1 }  // evictableAfter: 60 s
        _ = try lab.create(["playing": false])
        let busy = try post(lab)
        #expect(busy.status == 503, "a run created a moment ago (its page not yet connected) stays: \(busy.text)")
    }
}
