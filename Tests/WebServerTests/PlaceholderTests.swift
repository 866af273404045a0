import Testing
import WebServer

@Suite struct ModuleTests {
    @Test func moduleLinks() { _ = WebServerModule.self }
}
