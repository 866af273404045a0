/// `GET /healthz`: a tiny JSON status for load balancers, scripts and people.
public enum HealthCheck {
    /// The route path.
    public static let path = "/healthz"

    /// `{"status":"ok","uptime_s":…,"connections":…,"buffered_bytes":…}` with 200 (`buffered_bytes`: what every
    /// connection holds in buffers, against `ServerConfiguration.memoryBudgetBytes`).
    public static func response(uptimeSeconds: Double, connections: Int, bufferedBytes: Int = 0) -> HTTPResponse {
        let uptime = (uptimeSeconds * 1000).rounded() / 1000
        return .json(.ok, "{\"status\":\"ok\",\"uptime_s\":\(uptime),\"connections\":\(connections),\"buffered_bytes\":\(bufferedBytes)}")
    }
}
