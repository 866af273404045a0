import Foundation
import Testing
import WebServer

@Suite struct PublicFolderTests {
    @Test func explicitFolder_winsWhenItExists() throws {
        let fixture = try PublicFolderFixture()
        #expect(PublicFolder.locate(explicit: fixture.root, executablePath: "/nowhere/ganlab", currentDirectory: "/nowhere") == fixture.root)
        #expect(PublicFolder.locate(explicit: fixture.base + "/missing", executablePath: "/x/ganlab", currentDirectory: "/x") == nil)
    }

    @Test func packageRoot_isFoundAboveABuildFolder() throws {
        let fixture = try PublicFolderFixture()
        let fm = FileManager.default
        try fm.createDirectory(atPath: fixture.base + "/pkg/Public", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: fixture.base + "/pkg/.build/release", withIntermediateDirectories: true)
        try "".write(toFile: fixture.base + "/pkg/Package.swift", atomically: true, encoding: .utf8)
        let found = PublicFolder.locate(explicit: nil, executablePath: fixture.base + "/pkg/.build/release/ganlab", currentDirectory: "/")
        #expect(found == fixture.base + "/pkg/Public")
    }

    @Test func besideExecutable_comesFirst() throws {
        let fixture = try PublicFolderFixture()
        try FileManager.default.createDirectory(atPath: fixture.base + "/bin/Public", withIntermediateDirectories: true)
        let found = PublicFolder.locate(explicit: nil, executablePath: fixture.base + "/bin/ganlab", currentDirectory: fixture.base)
        #expect(found == fixture.base + "/bin/Public")
    }
}
