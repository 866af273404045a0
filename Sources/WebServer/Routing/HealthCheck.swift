/// `GET /healthz`: a tiny JSON status for load balancers, scripts and people.
public enum HealthCheck {
    /// The route path.
    public static let path = "/healthz"

    /// `{"status":"ok","uptime_s":…,"connections":…}` with 200; with problems (e.g. the lab cannot save
    /// runs) `"status":"degraded"` and `"problems":[…]`, still 200: the server keeps serving.
    public static func response(uptimeSeconds: Double, connections: Int, problems: [String] = []) -> HTTPResponse {
        let uptime = (uptimeSeconds * 1000).rounded() / 1000
        let status = problems.isEmpty ? "ok" : "degraded"
        var body = "{\"status\":\"\(status)\",\"uptime_s\":\(uptime),\"connections\":\(connections)"
        if !problems.isEmpty {
            body += ",\"problems\":[" + problems.map(HTTPResponse.jsonString).joined(separator: ",") + "]"
        }
        return .json(.ok, body + "}")
    }
}
