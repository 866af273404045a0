import Testing
@testable import WebServer

/// The request guard with an injected address source: a server bound to every interface follows the machine to
/// a new address (rate-limited), and never re-reads for a name.
@Suite struct RequestGuardTests {
    /// The machine's addresses, changed by the test as a laptop would move between networks.
    final class Addresses: @unchecked Sendable {
        var names: [String]
        var reads = 0
        init(_ names: [String]) { self.names = names }
    }

    static let second: UInt64 = 1_000_000_000
    let t0: UInt64 = 1_000 * 1_000_000_000

    func makeGuard(_ addresses: Addresses, allowedHosts: [String] = []) -> RequestGuard {
        RequestGuard(hosts: HostPolicy(serverNames: addresses.names, allowedHosts: allowedHosts), origins: .sameOrigin,
                     addressSource: .init(read: { addresses.reads += 1; return addresses.names }, allowedHosts: allowedHosts,
                                          minimumInterval: 5 * Self.second))
    }

    static func request(host: String, method: HTTPMethod = .GET, origin: String? = nil) -> HTTPRequest {
        var headers = HTTPHeaders([("Host", host)])
        if let origin { headers.add("Origin", origin) }
        return HTTPRequest(method: method, target: "/", headers: headers)
    }

    func status(_ g: inout RequestGuard, _ request: HTTPRequest, now: UInt64) -> Int? {
        var accepted: String?
        return g.refusal(for: request, acceptedHost: &accepted, now: now)?.status.code
    }

    @Test func newAddressOfTheMachine_isAccepted_afterOneReRead() {
        let addresses = Addresses(["192.168.1.20"])
        var g = makeGuard(addresses)
        #expect(status(&g, Self.request(host: "192.168.1.20:8080"), now: t0) == nil)
        #expect(addresses.reads == 0)   // a known address costs nothing
        addresses.names = ["10.0.0.7"]   // the laptop joined another network
        #expect(status(&g, Self.request(host: "10.0.0.7:8080"), now: t0 + 1) == nil)
        #expect(addresses.reads == 1)
        #expect(status(&g, Self.request(host: "192.168.1.20:8080"), now: t0 + 2) == 421)   // the old one is gone
    }

    @Test func reReads_areRateLimited() {
        let addresses = Addresses(["192.168.1.20"])
        var g = makeGuard(addresses)
        #expect(status(&g, Self.request(host: "10.9.9.9"), now: t0) == 421)
        #expect(addresses.reads == 1)
        addresses.names.append("10.9.9.9")
        #expect(status(&g, Self.request(host: "10.9.9.9"), now: t0 + 4 * Self.second) == 421)   // too soon to look again
        #expect(addresses.reads == 1)
        #expect(status(&g, Self.request(host: "10.9.9.9"), now: t0 + 5 * Self.second) == nil)
        #expect(addresses.reads == 2)
    }

    @Test func refusedNames_neverTriggerAReRead() {
        let addresses = Addresses(["192.168.1.20"])
        var g = makeGuard(addresses)
        for host in ["evil.example", "evil.example:8080", "[::1]:80x"] {
            #expect(status(&g, Self.request(host: host), now: t0) == 421, "\(host)")
        }
        #expect(addresses.reads == 0)
        #expect(status(&g, Self.request(host: "[fe80::99]:8080"), now: t0) == 421)   // an IPv6 literal does
        #expect(addresses.reads == 1)
    }

    @Test func reReadKeepsTheAllowedHosts() {
        let addresses = Addresses(["192.168.1.20"])
        var g = makeGuard(addresses, allowedHosts: ["lab.school.example"])
        _ = status(&g, Self.request(host: "10.0.0.1"), now: t0)
        #expect(addresses.reads == 1)
        #expect(status(&g, Self.request(host: "lab.school.example"), now: t0) == nil)
    }

    @Test func withoutAnAddressSource_aForeignAddressIsRefused() {
        var g = RequestGuard(hosts: HostPolicy(serverNames: ["127.0.0.1"]), origins: .sameOrigin)
        #expect(status(&g, Self.request(host: "10.0.0.7"), now: t0) == 421)
        #expect(g.addressReads == 0)
    }

    @Test func acceptedHost_isRemembered_perConnection() {
        let addresses = Addresses(["192.168.1.20"])
        var g = makeGuard(addresses)
        var accepted: String?
        #expect(g.refusal(for: Self.request(host: "192.168.1.20"), acceptedHost: &accepted, now: t0) == nil)
        #expect(accepted == "192.168.1.20")
        #expect(g.refusal(for: Self.request(host: "evil.example"), acceptedHost: &accepted, now: t0)?.status.code == 421)
        #expect(accepted == "192.168.1.20")
    }

    @Test func originOfAnUnsafeRequest_isCheckedAfterTheHost() {
        let addresses = Addresses(["192.168.1.20"])
        var g = makeGuard(addresses)
        #expect(status(&g, Self.request(host: "192.168.1.20:8080", method: .POST, origin: "http://evil.example"), now: t0) == 403)
        #expect(status(&g, Self.request(host: "192.168.1.20:8080", method: .POST, origin: "http://192.168.1.20:8080"), now: t0) == nil)
    }
}
