import Testing
import WebServer

@Suite struct ServerConfigurationTests {
    @Test func defaults_areDocumentedValues_andValid() throws {
        let c = ServerConfiguration()
        #expect(c.host == "127.0.0.1" && c.port == 8080)
        #expect(c.maxWebSocketMessageBytes == 16 << 20)
        #expect(c.parserLimits == HTTPParserLimits())
        #expect(c.isEchoEnabled)
        try c.validate()
    }

    @Test func edges_areAcceptedOrRefusedByName() throws {
        var c = ServerConfiguration()
        c.port = 0
        try c.validate()
        c.port = 65535
        try c.validate()
        c.port = 65536
        #expect(throws: ServerConfigurationError(field: "port", value: "65536", allowed: "0...65535")) { try c.validate() }
        c = ServerConfiguration()
        c.headerReadTimeout = 0
        #expect(throws: ServerConfigurationError.self) { try c.validate() }
        c = ServerConfiguration()
        c.writeBufferLimit = 1023
        #expect(throws: ServerConfigurationError.self) { try c.validate() }
        c.writeBufferLimit = 1024
        try c.validate()
    }

    @Test func hostOriginsAndAllowedHosts_areValidatedByName() throws {
        func field(_ change: (inout ServerConfiguration) -> Void) -> String? {
            var c = ServerConfiguration()
            change(&c)
            do { try c.validate(); return nil } catch { return error.field }
        }
        #expect(field { $0.host = "not-an-address" } == "host")
        #expect(field { $0.host = "::" } == nil)
        #expect(field { $0.allowedOrigins = ["not a url"] } == "allowedOrigins")
        #expect(field { $0.allowedOrigins = ["http://lab.example:8080", "*"] } == nil)
        #expect(field { $0.allowedHosts = ["lab.example:8080"] } == "allowedHosts")
        #expect(field { $0.allowedHosts = ["lab.example", ".school.example", "*"] } == nil)
        #expect(field { $0.publicDirectory = "/no/such/folder" } == "publicDirectory")
        #expect(field { $0.memoryBudgetBytes = (1 << 20) - 1 } == "memoryBudgetBytes")
        #expect(field { $0.memoryBudgetBytes = 1 << 20 } == nil)
        #expect(field { $0.webSocketCompressionThreshold = -1 } == "webSocketCompressionThreshold")
        #expect(field { $0.bodyReadTimeout = 0 } == "bodyReadTimeout")
        #expect(field { $0.hostAddressRefreshInterval = .infinity } == "hostAddressRefreshInterval")
        // A body the budget could never hold would be refused every time.
        #expect(field { $0.memoryBudgetBytes = 1 << 20; $0.parserLimits.maxBodyBytes = (1 << 20) + 1 } == "parserLimits.maxBodyBytes")
        #expect(field { $0.memoryBudgetBytes = 1 << 20; $0.parserLimits.maxBodyBytes = 1 << 20 } == nil)
        var c = ServerConfiguration()
        c.allowedOrigins = ["not a url"]
        do { try c.validate() } catch { #expect(error.description == "invalid allowedOrigins 'not a url': allowed an http(s) origin such as http://lab.example:8080 (no path), or *") }
    }

    @Test func defaults_forTheNewLimits() {
        let c = ServerConfiguration()
        #expect(c.memoryBudgetBytes == 256 << 20)
        #expect(c.allowedHosts.isEmpty && c.allowedOrigins.isEmpty)
        #expect(c.isWebSocketCompressionEnabled && c.webSocketCompressionThreshold == 256)
        #expect(c.accessLogLevel == .debug && c.logLevel == .info)
        #expect(c.headerReadTimeout == 10 && c.bodyReadTimeout == 30 && c.hostAddressRefreshInterval == 5)
    }
}
