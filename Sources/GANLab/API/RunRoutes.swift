import Foundation
import GANEngine
import WebServer

/// The HTTP API of docs/protocol.md §1 that is the lab's: create, read and delete runs, the settings table and
/// the presets. (Export, import, CSV and share routes are added by the persistence side through
/// `Lab.addRoutes`.)
enum RunRoutes {
    /// Adds the routes to `router`.
    static func install(on router: inout Router, lab: Lab) {
        let registry = lab.registry, configuration = lab.configuration
        let settingsBody = JSON.object(["settings": ServerMessages.settingsTable]).text
        let samples = presetSamples(configuration)

        router.post("/api/runs") { request, _ in
            respond { () throws(LabProtocolError) -> HTTPResponse in
                let peer = request.peer
                var request = try CreateRunRequest(body: request.body, configuration: configuration)
                try registry.admitNewRun(from: peer)
                if let preset = request.pretrained {
                    guard let templates = lab.templates, var record = templates.pretrainedRecord(for: preset) else {
                        throw .badField(field: "pretrained", message: "There is no pretrained run of \(preset.rawValue) on this server.")
                    }
                    // Paused at its saved pace unless the request says how it plays.
                    if let playing = request.playingAsked { record.playState = playing ? .playing : .paused }
                    if let speed = request.speedAsked { record.epochsPerSecond = speed.epochsPerSecond }
                    let (run, token) = try registry.adopt(record)
                    return created(run, token)
                }
                if let blob = request.share {
                    guard let templates = lab.templates else {
                        throw .badField(field: "share", message: "Share links are not available on this server.")
                    }
                    // The link gives the run (data, settings, edits); the request still says how it plays.
                    var shared = try templates.blueprint(fromShare: blob, configuration: configuration)
                    shared.isPlaying = request.blueprint.isPlaying
                    shared.speed = request.blueprint.speed
                    request.blueprint = shared
                }
                let (run, token) = try registry.create(request.blueprint)
                return created(run, token)
            }
        }
        router.get("/api/runs/:code") { request, parameters in
            respond { () throws(LabProtocolError) -> HTTPResponse in
                let run = try registry.run(try code(parameters))
                // The tag hashes the summary, so it stays while the run is paused and nobody joins or leaves.
                return HTTPResponse.json(.ok, ServerMessages.summary(run.status).text).conditional(on: request)
            }
        }
        router.delete("/api/runs/:code") { request, parameters in
            respond { () throws(LabProtocolError) -> HTTPResponse in
                try registry.delete(try code(parameters), token: bearerToken(request))
                return HTTPResponse(status: .noContent)
            }
        }
        router.get("/api/settings") { _, _ in .json(.ok, settingsBody) }
        router.get("/api/presets") { _, _ in
            let pretrained = Set(lab.templates?.pretrainedPresets.map(\.rawValue) ?? [])
            return .json(.ok, JSON.object(["presets": ServerMessages.presets(samples: samples, pretrained: pretrained)]).text)
        }
    }

    /// Runs `body`, answering a typed error with its one mapping (`LabProtocolError.httpResponse`).
    static func respond(_ body: () throws(LabProtocolError) -> HTTPResponse) -> HTTPResponse {
        do { return try body() } catch { return error.httpResponse }
    }

    /// The `:code` parameter as a code; a malformed one is simply not found.
    static func code(_ parameters: RouteParameters) throws(LabProtocolError) -> RunCode {
        let text = parameters["code"] ?? ""
        guard let code = RunCode(text) else { throw .notFound(text) }
        return code
    }

    /// The token of `Authorization: Bearer TOKEN`, if any.
    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// `201` with the new run's code, token, page URL and summary (create, pretrained, share, import).
    static func created(_ run: Run, _ token: RunToken) -> HTTPResponse {
        var response = HTTPResponse.json(.created, JSON.object([
            "code": .string(run.code.text), "token": .string(token.text), "url": .string("/r/\(run.code.text)"),
            "run": ServerMessages.summary(run.status),
        ]).text)
        response.headers.replaceOrAdd("Location", "/api/runs/\(run.code.text)")
        response.headers.replaceOrAdd("Cache-Control", "no-store")
        return response
    }

    /// `presetSampleCount` points of each preset for its thumbnail, from a fixed seed (the same on every start).
    static func presetSamples(_ c: LabConfiguration) -> [String: [Float]] {
        var samples: [String: [Float]] = [:]
        for preset in Preset.allCases {
            var random = RandomSource(seed: 0x5448_554D_4231)  // "THUMB1"
            samples[preset.rawValue] = preset.makeDistribution().samples(count: c.presetSampleCount, using: &random)
        }
        return samples
    }
}
