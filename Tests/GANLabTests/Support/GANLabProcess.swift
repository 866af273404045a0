import Foundation

/// The `ganlab` executable built beside this test bundle, run as a real process.
enum GANLabProcess {
    /// The binary: beside the `.xctest` bundle (same configuration as the tests), else in the package's .build.
    static let binary: String = {
        let fm = FileManager.default
        var candidates: [String] = []
        for argument in ProcessInfo.processInfo.arguments + [Bundle.main.bundlePath] {
            if let range = argument.range(of: ".xctest") {
                let bundle = String(argument[..<range.upperBound])
                candidates.append((bundle as NSString).deletingLastPathComponent + "/ganlab")
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        candidates += [root + "/.build/debug/ganlab", root + "/.build/release/ganlab"]
        return candidates.first { fm.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    /// Runs `ganlab ARGUMENTS` to completion; returns the exit code and standard output + error.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
