/// `GET /healthz`: a tiny JSON status for load balancers, scripts and people.
public enum HealthCheck {
    /// The route path.
    public static let path = "/healthz"

    /// `{"status":"ok","uptime_s":…,"connections":…}` with 200.
    public static func response(uptimeSeconds: Double, connections: Int) -> HTTPResponse {
        let uptime = (uptimeSeconds * 1000).rounded() / 1000
        return .json(.ok, "{\"status\":\"ok\",\"uptime_s\":\(uptime),\"connections\":\(connections)}")
    }
}
