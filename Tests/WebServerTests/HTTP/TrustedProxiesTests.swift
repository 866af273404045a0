import Testing
import WebServer

/// `X-Forwarded-For` is believed only from trusted proxies, and read from the right.
@Suite struct TrustedProxiesTests {
    func headers(_ values: String...) -> HTTPHeaders {
        var h = HTTPHeaders()
        for v in values { h.add("X-Forwarded-For", v) }
        return h
    }

    let proxy = PeerAddress(host: "127.0.0.1", port: 40_000)

    @Test func aTrustedProxy_namesTheClient() throws {
        let trusted = try #require(TrustedProxies(["127.0.0.1"]))
        #expect(trusted.client(of: proxy, headers: headers("203.0.113.7")) == PeerAddress(host: "203.0.113.7", port: 0))
        #expect(trusted.client(of: proxy, headers: headers(" 2001:db8::1 ")) == PeerAddress(host: "2001:db8::1", port: 0))
        #expect(trusted.client(of: proxy, headers: HTTPHeaders()) == proxy, "no header: the proxy itself")
    }

    @Test func anUntrustedPeer_cannotChooseItsAddress() throws {
        let trusted = try #require(TrustedProxies(["10.0.0.0/8"]))
        let stranger = PeerAddress(host: "192.0.2.9", port: 1234)
        #expect(trusted.client(of: stranger, headers: headers("203.0.113.7")) == stranger)
        #expect(TrustedProxies.none.client(of: proxy, headers: headers("203.0.113.7")) == proxy, "none trusted by default")
    }

    @Test func theRightmostUntrustedEntry_isTheClient_notWhatTheClientWrote() throws {
        let trusted = try #require(TrustedProxies(["127.0.0.1", "10.0.0.0/8"]))
        // The client sent "X-Forwarded-For: 198.51.100.1" itself; a front proxy at 10.1.2.3 appended the client's
        // real address, and the proxy at 127.0.0.1 appended 10.1.2.3.
        #expect(trusted.client(of: proxy, headers: headers("198.51.100.1, 203.0.113.7, 10.1.2.3")) == PeerAddress(host: "203.0.113.7", port: 0))
        #expect(trusted.client(of: proxy, headers: headers("198.51.100.1", "203.0.113.7,10.1.2.3")) == PeerAddress(host: "203.0.113.7", port: 0),
                "several header lines are one list")
        #expect(trusted.client(of: proxy, headers: headers("10.9.9.9, 10.1.2.3")) == PeerAddress(host: "10.9.9.9", port: 0),
                "all trusted: the leftmost")
        #expect(trusted.client(of: proxy, headers: headers("203.0.113.7, junk, 10.1.2.3")) == PeerAddress(host: "10.1.2.3", port: 0),
                "a malformed entry stops the walk at the last address a proxy vouched for")
    }

    @Test func rangesMatchByPrefix_andIPv4MappedPeers() throws {
        let trusted = try #require(TrustedProxies(["10.0.0.0/8", "fd00::/8"]))
        #expect(trusted.client(of: PeerAddress(host: "::ffff:10.2.3.4", port: 1), headers: headers("203.0.113.7"))?.host == "203.0.113.7")
        #expect(trusted.client(of: PeerAddress(host: "fd12::5", port: 1), headers: headers("203.0.113.7"))?.host == "203.0.113.7")
        #expect(trusted.client(of: PeerAddress(host: "11.0.0.1", port: 1), headers: headers("203.0.113.7"))?.host == "11.0.0.1")
        #expect(trusted.client(of: PeerAddress(host: "fe80::1", port: 1), headers: headers("203.0.113.7"))?.host == "fe80::1")
    }

    @Test func invalidEntries_areRefused() {
        for bad in ["", "localhost", "10.0.0.0/33", "10.0.0.0/-1", "::/129", "10.0.0.1/8/8", "10.0.0.0/", "10.0.0.0/+8", "1.2.3"] {
            #expect(!TrustedProxies.isValid(bad), "\(bad)")
            #expect(TrustedProxies([bad]) == nil)
        }
        for good in ["127.0.0.1", "0.0.0.0/0", "::1", "::/0", "fd00::/8", "192.168.0.0/16"] { #expect(TrustedProxies.isValid(good), "\(good)") }
    }
}
