import Testing
import WebServer

@Suite struct MIMETypeTests {
    @Test func commonExtensions_haveTheirTypes() {
        #expect(MIMEType.forPath("/index.html") == "text/html; charset=utf-8")
        #expect(MIMEType.forPath("/style.css") == "text/css; charset=utf-8")
        #expect(MIMEType.forPath("/js/app.js") == "text/javascript; charset=utf-8")
        #expect(MIMEType.forPath("/js/app.mjs") == "text/javascript; charset=utf-8")
        #expect(MIMEType.forPath("/data.json") == "application/json")
        #expect(MIMEType.forPath("/a.png") == "image/png")
        #expect(MIMEType.forPath("/a.svg") == "image/svg+xml")
        #expect(MIMEType.forPath("/favicon.ico") == "image/x-icon")
        #expect(MIMEType.forPath("/notes.txt") == "text/plain; charset=utf-8")
        #expect(MIMEType.forPath("/engine.wasm") == "application/wasm")
        #expect(MIMEType.forPath("/font.woff2") == "font/woff2")
    }

    @Test func extensionMatch_isCaseInsensitive() {
        #expect(MIMEType.forPath("/INDEX.HTML") == "text/html; charset=utf-8")
        #expect(MIMEType.forPath("/Photo.PNG") == "image/png")
    }

    @Test func unknownOrMissingExtension_fallsBackToOctetStream() {
        #expect(MIMEType.forPath("/archive.xyz") == "application/octet-stream")
        #expect(MIMEType.forPath("/Makefile") == "application/octet-stream")
        #expect(MIMEType.forPath("/.hidden") == "application/octet-stream")
        #expect(MIMEType.forPath("/dir.d/file") == "application/octet-stream")
    }
}
