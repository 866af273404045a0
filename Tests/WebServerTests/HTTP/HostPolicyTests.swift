import Testing
import WebServer

@Suite struct HostPolicyTests {
    let policy = HostPolicy(serverNames: ["127.0.0.1", "192.168.1.20", "fe80::1", "teacher-laptop"], allowedHosts: ["lab.school.example", ".class.example"])

    @Test func serverAddressesAndLocalhost_areAccepted_withAnyPort() {
        for host in ["127.0.0.1", "127.0.0.1:8080", "192.168.1.20:80", "localhost", "LOCALHOST:3000", "localhost.", "app.localhost:8080",
                     "[fe80::1]:8080", "[FE80:0:0::1]", "teacher-laptop:8080"] {
            #expect(policy.allows(host: host), "\(host)")
        }
    }

    @Test func foreignNames_areRefused_evenWhenTheyResolveHere() {
        for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example", "192.168.1.21",
                     "[::1]", "lab.school.example.evil", "xclass.example", "", " ", "a b", "127.0.0.1:", "127.0.0.1:99999x"] where !host.isEmpty {
            #expect(!policy.allows(host: host), "\(host)")
        }
    }

    @Test func allowedHosts_exactAndWithSubdomains() {
        #expect(policy.allows(host: "lab.school.example:8080"))
        #expect(!policy.allows(host: "www.lab.school.example"))
        #expect(policy.allows(host: "class.example"))
        #expect(policy.allows(host: "room12.class.example:8080"))
        #expect(HostPolicy(serverNames: [], allowedHosts: ["*"]).allows(host: "anything.example"))
    }

    @Test func missingHost_passes_becauseNoBrowserOmitsIt() {
        #expect(policy.allows(host: nil))
        #expect(policy.allows(host: ""))
    }

    @Test func allowedHostEntries_areValidated() {
        for good in ["*", "lab.example", ".lab.example", "10.0.0.5", "::1", "fe80::1", "my_host"] {
            #expect(HostPolicy.isValidAllowedHost(good), "\(good)")
        }
        for bad in ["", ".", "lab.example:8080", "http://lab.example", "lab example", "lab/example", ".10.0.0.5", "*.lab.example"] {
            #expect(!HostPolicy.isValidAllowedHost(bad), "\(bad)")
        }
    }
}

@Suite struct OriginPolicyRequestTests {
    func request(_ method: HTTPMethod, _ headers: [(String, String)]) -> HTTPRequest {
        HTTPRequest(method: method, target: "/api/run", headers: HTTPHeaders([("Host", "127.0.0.1:8080")] + headers))
    }

    @Test func unsafeMethodFromForeignOrigin_isRefused() {
        let policy = OriginPolicy.sameOrigin
        #expect(!policy.allows(request(.POST, [("Origin", "http://evil.example")])))
        #expect(!policy.allows(request(.DELETE, [("Origin", "http://127.0.0.1:9999")])))
        #expect(!policy.allows(request(.PUT, [("Origin", "null")])))
        #expect(!policy.allows(request(.POST, [("Origin", "http://127.0.0.1:8080"), ("Origin", "http://127.0.0.1:8080")])))
    }

    @Test func sameOrigin_allowedOrigin_andNonBrowsers_pass() {
        #expect(OriginPolicy.sameOrigin.allows(request(.POST, [("Origin", "http://127.0.0.1:8080")])))
        #expect(OriginPolicy.sameOrigin.allows(request(.POST, [])))
        #expect(OriginPolicy.sameOrigin.allows(request(.POST, [("Sec-Fetch-Site", "same-origin")])))
        #expect(OriginPolicy(allowedOrigins: ["http://lab.example"]).allows(request(.POST, [("Origin", "http://lab.example:80")])))
        #expect(OriginPolicy(allowedOrigins: ["*"]).allows(request(.POST, [("Origin", "http://evil.example")])))
    }

    @Test func withoutOrigin_secFetchSiteCrossSite_isRefused() {
        #expect(!OriginPolicy.sameOrigin.allows(request(.POST, [("Sec-Fetch-Site", "cross-site")])))
        #expect(!OriginPolicy.sameOrigin.allows(request(.POST, [("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "cross-site")])))
        #expect(!OriginPolicy.sameOrigin.allows(request(.POST, [("Sec-Fetch-Site", "same-origin, cross-site")])))
        #expect(OriginPolicy.sameOrigin.allows(request(.POST, [("Sec-Fetch-Site", "same-site")])))
    }

    @Test func safeMethods_passFromAnyOrigin() {
        for method in [HTTPMethod.GET, .HEAD, .OPTIONS] {
            #expect(OriginPolicy.sameOrigin.allows(request(method, [("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site")])))
        }
    }

    @Test func allowedOriginEntries_areValidated() {
        for good in ["*", "http://lab.example", "https://lab.example:8443", "http://[::1]:8080", "http://lab.example/", "http://lab.example:65535"] {
            #expect(OriginPolicy.isValidAllowedOrigin(good), "\(good)")
        }
        for bad in ["not a url", "lab.example", "ftp://lab.example", "http://", "http://lab.example/path", "http://u@lab.example", "null",
                    "http://lab.example:99999", "http://lab.example:0", "http://[::1]:70000"] {
            #expect(!OriginPolicy.isValidAllowedOrigin(bad), "\(bad)")
        }
    }

    @Test func absoluteFormTarget_winsOverHost() {
        let r = HTTPRequest(method: .GET, target: "http://evil.example:8080/x?y", headers: ["Host": "127.0.0.1"])
        #expect(r.effectiveHost == "evil.example:8080")
        #expect(HTTPRequest(method: .GET, target: "/x", headers: ["Host": "127.0.0.1"]).effectiveHost == "127.0.0.1")
    }
}
