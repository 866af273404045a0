import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ganlab serve` usage errors exit 2 with one line naming the flag, like every other command: the real process.
@Suite struct ServeUsageErrorTests {
    /// Runs `ganlab serve --in-memory ARGUMENTS` to completion (each case fails before anything is served).
    func serve(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try GANLabProcess.run(["serve", "--in-memory", "--log-level", "warning"] + arguments)
    }

    @Test func busyPort_exits2_namingTheAddress() throws {
        // Hold a port the way another server would.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0 && listen(fd, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try serve(["--port", "\(port)"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("\(port)"))
        #expect(!result.output.contains("listening on"))
    }

    @Test func badTrustedProxy_exits2_namingTheFlag() throws {
        let result = try serve(["--trusted-proxy", "10.0.0.0/33", "--port", "0"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--trusted-proxy"))
    }

    @Test func badHost_exits2_namingTheFlag() throws {
        let result = try serve(["--host", "not-an-address", "--port", "0"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--host"))
    }

    @Test func badAllowOrigin_exits2_namingTheFlag() throws {
        let result = try serve(["--allow-origin", "not a url", "--port", "0"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--allow-origin"))
    }

    @Test func missingPublicFolder_exits2() throws {
        let result = try serve(["--public", "/no/such/folder", "--port", "0"])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--public"))
    }

    @Test func noPublicFolderFound_exits2_listingWhereItLooked() throws {
        // A copy of the binary in an empty folder, run from there: no Public/ beside it, in the working directory,
        // or above it in a package.
        let folder = NSTemporaryDirectory() + "ganlab-nopublic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: GANLabProcess.binary, toPath: folder + "/ganlab")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: folder + "/ganlab")
        process.arguments = ["serve", "--in-memory", "--port", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(output)")
        #expect(output.contains("no Public/ folder") && output.contains(folder) && output.contains("--api-only"))
    }

    /// The help says every default data directory (run-format.md §2) and when --allow-host is needed (scaling.md).
    @Test func help_namesEveryDefaultDataDirectory_andWhenAllowHostIsNeeded() throws {
        let help = try GANLabProcess.run(["serve", "--help"])
        #expect(help.status == 0)
        let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("$XDG_DATA_HOME/ganlab") && text.contains("$HOME/.local/share/ganlab") && text.contains("./ganlab-data"), "\(text)")
        #expect(text.contains("Needed behind a proxy with a real domain") && text.contains("421"), "\(text)")
    }
}
