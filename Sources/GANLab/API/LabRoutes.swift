import WebServer

/// The lab's HTTP API over one run (docs/api.md): read the newest view, send play/pause/step/reset.
public enum LabRoutes {
    /// Adds `GET /api/run` and `POST /api/run/:command` to `router`.
    public static func install(on router: inout Router, run: LabRun) {
        router.get("/api/run") { _, _ in
            var response = HTTPResponse(status: .ok, body: run.latestJSON)
            response.headers.replaceOrAdd("Content-Type", "application/json")
            response.headers.replaceOrAdd("Cache-Control", "no-store")
            return response
        }
        router.post("/api/run/:command") { _, parameters in
            let name = parameters["command"] ?? ""
            guard let command = LabRun.Command(rawValue: name) else {
                return .error(.notFound, LabError.unknownCommand(name).description)
            }
            run.send(command)
            return .json(.ok, "{\"accepted\":\"\(command.rawValue)\"}")
        }
    }
}
