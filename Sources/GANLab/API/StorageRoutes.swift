import Foundation
import GANEngine
import WebServer

/// The HTTP routes of docs/protocol.md §1 that carry run files: export, import, metrics and samples CSV, share links.
/// The answers themselves are `RunFileResponses`; this file only looks the run up in the lab.
public enum StorageRoutes {
    /// Adds the routes to `lab` (before `start()`) and plugs in pretrained runs and share links.
    public static func install(on lab: Lab, pretrained: PretrainedRuns) {
        lab.templates = StorageTemplates(pretrained: pretrained)
        let registry = lab.registry
        lab.addRoutes { router in
            router.get("/api/runs/:code/export") { _, parameters in
                RunRoutes.respond { () throws(LabProtocolError) -> HTTPResponse in
                    RunFileResponses.export(try registry.record(of: try RunRoutes.code(parameters)))
                }
            }
            router.post("/api/runs/import") { request, _ in
                let record: RunRecord
                do throws(RunFileResponses.Refusal) {
                    record = try RunFileResponses.importedRecord(from: request.body)
                } catch {
                    return error.response
                }
                return RunRoutes.respond { () throws(LabProtocolError) -> HTTPResponse in
                    try registry.admitNewRun(from: request.peer)
                    let (run, token) = try registry.adopt(record)
                    return RunRoutes.created(run, token)
                }
            }
            router.get("/api/runs/:code/metrics.csv") { _, parameters in
                RunRoutes.respond { () throws(LabProtocolError) -> HTTPResponse in
                    RunFileResponses.metricsCSV(try registry.record(of: try RunRoutes.code(parameters)))
                }
            }
            router.get("/api/runs/:code/samples.csv") { _, parameters in
                RunRoutes.respond { () throws(LabProtocolError) -> HTTPResponse in
                    let code = try RunRoutes.code(parameters)
                    let record = try registry.record(of: code)
                    // The real points the page shows (the run's display sample), and G's fakes now.
                    let real = try registry.run(code).status.shownReal
                    let fakes = try fakeSamples(of: record)
                    return RunFileResponses.samplesCSV(code: record.code, real: real, fakes: fakes)
                }
            }
            router.get("/api/runs/:code/share") { _, parameters in
                RunRoutes.respond { () throws(LabProtocolError) -> HTTPResponse in
                    RunFileResponses.share(try registry.record(of: try RunRoutes.code(parameters)))
                }
            }
        }
    }

    /// The current fakes (G on the views' fixed noise), from a copy of the run's trainer, so the live run is
    /// not disturbed.
    static func fakeSamples(of record: RunRecord) throws(LabProtocolError) -> [Float] {
        let distribution = try record.data.makeDistribution()
        let trainer: Trainer
        do {
            trainer = try Trainer(restoring: record.trainer, distribution: distribution)
        } catch {
            throw .unavailable("The run's state cannot be read back: \(error)")
        }
        return ViewComputer(trainer: trainer).update(from: trainer).fakes
    }
}
