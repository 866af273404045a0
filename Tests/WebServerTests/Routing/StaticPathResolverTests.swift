import Foundation
import Testing
import WebServer

/// A temporary public folder with a file, a subfolder with index.html, a dotfile, and symlinks in and out.
final class PublicFolderFixture {
    let base: String
    let root: String

    init() throws {
        base = NSTemporaryDirectory() + "ganlab-static-\(UUID().uuidString)"
        root = base + "/public"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try "<h1>home</h1>".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "body{}".write(toFile: root + "/style.css", atomically: true, encoding: .utf8)
        try "docs".write(toFile: root + "/docs/index.html", atomically: true, encoding: .utf8)
        try "spaced".write(toFile: root + "/a b.txt", atomically: true, encoding: .utf8)
        try "secret".write(toFile: root + "/.env", atomically: true, encoding: .utf8)
        try "outside".write(toFile: base + "/secret.txt", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/escape.txt", withDestinationPath: base + "/secret.txt")
        try fm.createSymbolicLink(atPath: root + "/escape-dir", withDestinationPath: base)
        try fm.createSymbolicLink(atPath: root + "/alias.css", withDestinationPath: root + "/style.css")
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }
}

@Suite struct StaticPathResolverTests {
    @Test func plainPaths_resolveInsideRoot() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        #expect(try resolver.resolve("/style.css").get() == resolver.rootPath + "/style.css")
        #expect(try resolver.resolve("/a%20b.txt").get() == resolver.rootPath + "/a b.txt")
        #expect(try resolver.resolve("//style.css").get() == resolver.rootPath + "/style.css")
    }

    @Test func directories_mapToIndexHTML() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        #expect(try resolver.resolve("/").get() == resolver.rootPath + "/index.html")
        #expect(try resolver.resolve("/docs/").get() == resolver.rootPath + "/docs/index.html")
        #expect(try resolver.resolve("/docs").get() == resolver.rootPath + "/docs/index.html")
        #expect(resolver.resolve("/empty/") == .failure(.notFound))
    }

    @Test func dotDotSegments_areRefused() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        for path in ["/../secret.txt", "/docs/../../secret.txt", "/..", "/./style.css", "/%2e%2e/secret.txt",
                     "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e/style.css", "/docs/%2e%2e/%2e%2e/secret.txt"] {
            #expect(resolver.resolve(path) == .failure(.dotSegment), "\(path)")
        }
    }

    @Test func encodedSeparatorsBackslashesAndNUL_areRefused() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        for path in ["/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/docs%2findex.html", "/..%5csecret.txt",
                     "/..\\secret.txt", "/style.css%00.png", "/%00", "/a%0d%0ab", "/%7f"] {
            #expect(resolver.resolve(path) == .failure(.forbiddenCharacter), "\(path)")
        }
    }

    @Test func malformedEncoding_isRefused() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        for path in ["/%", "/%2", "/%zz", "/%c3%28", "/%ff"] {
            #expect(resolver.resolve(path) == .failure(.badEncoding), "\(path)")
        }
    }

    @Test func nonOriginForms_areRefused() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        for path in ["*", "style.css", "http://example.com/style.css", ""] {
            #expect(resolver.resolve(path) == .failure(.notOriginForm), "\(path)")
        }
    }

    @Test func absolutePathInsideTarget_staysUnderRoot() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        // "//etc/passwd" is the segment list ["etc", "passwd"] under the root, never /etc/passwd.
        #expect(resolver.resolve("//etc/passwd") == .failure(.notFound))
        #expect(resolver.resolve("/" + fixture.base + "/secret.txt") == .failure(.notFound))
    }

    @Test func symlinksPointingOutside_areRefused_insideAllowed() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        #expect(resolver.resolve("/escape.txt") == .failure(.notFound))
        #expect(resolver.resolve("/escape-dir/secret.txt") == .failure(.notFound))
        #expect(try resolver.resolve("/alias.css").get() == resolver.rootPath + "/style.css")
    }

    @Test func dotfiles_areHidden() throws {
        let fixture = try PublicFolderFixture()
        let resolver = try #require(StaticPathResolver(root: fixture.root))
        #expect(resolver.resolve("/.env") == .failure(.hiddenFile))
        #expect(resolver.resolve("/%2eenv") == .failure(.hiddenFile))
        #expect(resolver.resolve("/.git/config") == .failure(.hiddenFile))
    }

    @Test func refusals_mapToDocumentedStatuses() {
        #expect(StaticPathError.dotSegment.statusCode == 400)
        #expect(StaticPathError.forbiddenCharacter.statusCode == 400)
        #expect(StaticPathError.badEncoding.statusCode == 400)
        #expect(StaticPathError.notOriginForm.statusCode == 400)
        #expect(StaticPathError.hiddenFile.statusCode == 404)
        #expect(StaticPathError.notFound.statusCode == 404)
    }

    @Test func missingRoot_givesNil() {
        #expect(StaticPathResolver(root: "/nonexistent-ganlab-folder") == nil)
    }
}
