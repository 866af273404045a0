import ArgumentParser
import Foundation
import Logging
import GANEngine
import GANLab
import WebServer

/// `ganlab serve`: parses flags into a `LabConfiguration` and a `ServerConfiguration`, starts the `Lab`, and
/// runs until SIGINT/SIGTERM (a second one exits at once).
struct ServeCommand: ParsableCommand {
    /// Name, abstract and the listening-line contract.
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the lab over HTTP and WebSocket.",
        discussion: "Prints 'ganlab: listening on http://HOST:PORT' once bound (with --port 0, read the port from it)."
    )

    @Option(help: "Address to listen on: 127.0.0.1 (default), 0.0.0.0 for a classroom network, ::1 or :: for IPv6.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port = 8080

    @Option(name: .customLong("public"), help: "Folder of static files (default: Public/ beside the executable, in the current directory, or in the package root).")
    var publicDirectory: String?

    @Option(name: .customLong("allow-origin"), help: "Extra origin allowed to open WebSockets, e.g. http://host:8080, or * (repeatable).")
    var allowedOrigins: [String] = []

    @Flag(name: .customLong("no-echo"), help: "Disable the /ws/echo WebSocket endpoint.")
    var noEcho = false

    @Option(help: "Preset of new runs: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset = "gaussians"

    @Option(help: "Seed of new runs (the same seed replays the same run; 0...\(GANConfiguration.maximumSeed)).")
    var seed: UInt64 = 1

    @Option(help: "Training pace of new runs while playing: epochs per second (1...100000) or max.")
    var speed = "100"

    @Flag(help: "New runs start paused.")
    var paused = false

    @Option(help: "Worker threads that train runs (1...256; default: one per core).")
    var workers: Int?

    /// Persistence: --data-dir, --in-memory, --max-saved-runs, --max-saved-bytes, --pretrained, --code-prefix.
    @OptionGroup var storage: StorageOptions

    @Option(help: "Log level: trace, debug, info (one access line per request), notice, warning, error, critical.")
    var logLevel = "info"

    /// The lab's limits and defaults from the flags.
    func labConfiguration() throws -> LabConfiguration {
        var c = LabConfiguration()
        guard let chosen = Preset(rawValue: preset) else {
            throw ValidationError("invalid --preset '\(preset)': allowed \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        c.defaultPreset = chosen
        c.defaultSeed = seed
        if speed == "max" {
            c.defaultSpeed = .max
        } else if let rate = Double(speed), rate.isFinite {
            c.defaultSpeed = .epochsPerSecond(rate)
        } else {
            throw ValidationError("invalid --speed '\(speed)': allowed \(c.epochsPerSecondRange.lowerBound)...\(c.epochsPerSecondRange.upperBound) epochs per second, or max")
        }
        c.startsPlaying = !paused
        c.workers = workers
        c.codePrefix = storage.prefix
        do {
            try c.validate()
        } catch {
            let flag = ["defaultSeed": "--seed", "defaultSpeed": "--speed", "workers": "--workers"][error.field] ?? error.field
            throw ValidationError("invalid \(flag) \(error.value): allowed \(error.allowed)")
        }
        return c
    }

    /// Checks flag values before anything is bound.
    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("invalid --log-level '\(logLevel)': allowed trace, debug, info, notice, warning, error, critical")
        }
        guard (0...65535).contains(port) else { throw ValidationError("invalid --port \(port): allowed 0...65535") }
        _ = try labConfiguration()
    }

    /// Binds, prints the listening line, and blocks until a signal's graceful shutdown finishes.
    func run() throws {
        var server = ServerConfiguration()
        server.host = host
        server.port = port
        server.allowedOrigins = allowedOrigins
        server.isEchoEnabled = !noEcho
        server.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let executable = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } ?? ""
        server.publicDirectory = PublicFolder.locate(
            explicit: publicDirectory, executablePath: executable,
            currentDirectory: FileManager.default.currentDirectoryPath)
        if let publicDirectory, server.publicDirectory == nil {
            throw ValidationError("--public \(publicDirectory): no such folder")
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }

        let archive = try storage.makeArchive(logger: Logger(label: "ganlab.storage"))
        let lab: Lab
        do {
            lab = try Lab(configuration: labConfiguration(), server: server, archive: archive ?? MemoryRunArchive())
        } catch let error as LabConfigurationError {
            throw ValidationError("\(error)")
        }
        StorageRoutes.install(on: lab, pretrained: storage.pretrainedRuns(publicDirectory: server.publicDirectory))
        if let archive {
            let labProblems = lab.server.healthProblems
            lab.server.healthProblems = { labProblems() + archive.directoryProblems }
            archive.isInUse = { [registry = lab.registry] code in registry.codes.contains(code) }
        }
        let signals: ShutdownSignals
        do {
            let count = SignalCount()
            signals = try ShutdownSignals { _ in
                // The first signal stops gracefully; a second one means "now".
                if count.increment() > 1 { _exit(1) }
                lab.shutdown()
            }
            try lab.start()
        } catch {
            // One line (SocketError / ServerConfigurationError describe themselves), exit 1, no trap.
            FileHandle.standardError.write(Data("ganlab: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let address = lab.server.localAddress.map { "\($0.urlHost):\($0.port)" } ?? "\(host):\(port)"
        print("ganlab: listening on http://\(address)")
        fflush(stdout)
        lab.waitUntilStopped()
        archive?.close()
        signals.cancel()
    }
}

/// Signals received so far (the handler runs on the signal thread).
private final class SignalCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Counts one more and returns the total.
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
