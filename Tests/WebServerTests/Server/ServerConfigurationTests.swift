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
}
