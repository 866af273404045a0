import Foundation
import Testing
import GANLab
import LabClient
import WebServer

/// `hello.joinOrigins` and `hello.loopbackOnly` (docs/protocol.md §2.2): the addresses a presenter shows students.
@Suite(.serialized) struct JoinOriginsTests {
    @Test func wildcard_keepsInterfaceAddresses_withoutLoopbackLinkLocalOrNames_ipv4First() {
        let names = ["127.0.0.1", "fd00::2", "192.0.2.2", "::1", "fe80::fc:ff:fe00:1", "169.254.3.4", "10.0.0.7",
                     "teacher-laptop", "teacher-laptop.local", "192.0.2.2"]
        let join = JoinOrigins(boundHost: "0.0.0.0", port: 8080, isWildcard: true, names: names)
        #expect(join.origins == ["http://192.0.2.2:8080", "http://10.0.0.7:8080", "http://[fd00::2]:8080"])
        #expect(!join.isLoopbackOnly)
    }

    @Test func loopbackBound_hasNoOrigins_andSaysSo() {
        for host in ["127.0.0.1", "127.0.1.1", "::1"] {
            let join = JoinOrigins(boundHost: host, port: 8080, isWildcard: false, names: [host])
            #expect(join.origins.isEmpty && join.isLoopbackOnly, "\(host)")
        }
    }

    @Test func oneAddressBound_isThatAddress() throws {
        let join = JoinOrigins(bound: try SocketAddress(host: "192.0.2.9", port: 9000))
        #expect(join.origins == ["http://192.0.2.9:9000"] && !join.isLoopbackOnly)
    }

    @Test func hello_onALoopbackServer_saysLoopbackOnly() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let socket = try RunSocket(port: lab.port, code: run.code)
        let hello = try socket.expect("hello")
        #expect(hello["loopbackOnly"] as? Bool == true)
        #expect((hello["joinOrigins"] as? [String]) == [])
    }

    @Test func hello_onAWildcardServer_listsThisMachinesAddressesWithTheBoundPort() throws {
        var server = ServerConfiguration()
        server.host = "0.0.0.0"
        server.port = 0
        server.logLevel = .critical
        server.shutdownGracePeriod = 0.5
        var configuration = LabConfiguration()
        configuration.workers = 1
        let lab = try Lab(configuration: configuration, server: server)
        try lab.start()
        defer { lab.stop() }
        let created = try HTTPClient.request("POST", "/api/runs", port: lab.port, body: Array(#"{"playing":false}"#.utf8))
        let code = try #require(created.json?["code"] as? String)
        let hello = try RunSocket(port: lab.port, code: code).expect("hello")
        #expect(hello["loopbackOnly"] as? Bool == false)
        let origins = try #require(hello["joinOrigins"] as? [String])
        let expected = JoinOrigins(boundHost: "0.0.0.0", port: lab.port, isWildcard: true,
                                   names: try SocketAddress(host: "0.0.0.0", port: lab.port).namesOfThisServer())
        #expect(origins == expected.origins)
        #expect(origins.allSatisfy { $0.hasPrefix("http://") && $0.hasSuffix(":\(lab.port)") && !$0.contains("127.0.0.1") })
    }
}
