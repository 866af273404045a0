import ArgumentParser
import Foundation
import Logging
import GANEngine
import GANLab
import WebServer

/// `ganlab serve`: runs the web server until SIGINT/SIGTERM.
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

    @Option(name: .customLong("allow-origin"), help: "Extra origin allowed to open WebSockets and send POSTs, e.g. http://host:8080, or * (repeatable).")
    var allowedOrigins: [String] = []

    @Option(name: .customLong("allow-host"), help: "Extra Host name the server answers to besides its own addresses and localhost, e.g. lab.school.example, .school.example (with subdomains), or * (repeatable).")
    var allowedHosts: [String] = []

    @Flag(name: .customLong("api-only"), help: "Serve the API and WebSockets without static files (no Public/ folder needed).")
    var apiOnly = false

    @Flag(name: .customLong("no-echo"), help: "Disable the /ws/echo WebSocket endpoint.")
    var noEcho = false

    @Option(help: "Preset the lab starts with: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset = "gaussians"

    @Option(help: "Seed of the run (the same seed replays the same run).")
    var seed: UInt64 = 1

    @Option(help: "Training pace while playing, in epochs per second (1...100000).")
    var speed: Double = 100

    @Flag(help: "Start the run paused.")
    var paused = false

    @Option(help: "Log level: trace, debug (one access line per request), info, notice, warning, error, critical.")
    var logLevel = "info"

    /// Checks flag values before anything is bound.
    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("invalid --log-level '\(logLevel)': allowed trace, debug, info, notice, warning, error, critical")
        }
        guard Preset(rawValue: preset) != nil else {
            throw ValidationError("invalid --preset '\(preset)': allowed \(Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard RunPace.epochsPerSecondRange.contains(speed) else {
            throw ValidationError("invalid --speed \(speed): allowed 1...100000 epochs per second")
        }
        guard (0...65535).contains(port) else { throw ValidationError("invalid --port \(port): allowed 0...65535") }
    }

    /// Binds, prints the listening line, and blocks until a signal's graceful shutdown finishes.
    func run() throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.allowedOrigins = allowedOrigins
        configuration.allowedHosts = allowedHosts
        configuration.isEchoEnabled = !noEcho
        configuration.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        if !apiOnly {
            let executable = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } ?? ""
            let current = FileManager.default.currentDirectoryPath
            configuration.publicDirectory = PublicFolder.locate(explicit: publicDirectory, executablePath: executable, currentDirectory: current)
            if configuration.publicDirectory == nil {
                if let publicDirectory { throw ValidationError("--public \(publicDirectory): no such folder") }
                throw ValidationError(PublicFolder.notFoundMessage(executablePath: executable, currentDirectory: current))
            }
        }
        // Usage errors (bad --host, --allow-origin, --allow-host, a busy port) exit 2 like every other command.
        do { try configuration.validate() } catch {
            let flags = ["host": "--host", "port": "--port", "allowedOrigins": "--allow-origin", "allowedHosts": "--allow-host", "publicDirectory": "--public"]
            throw ValidationError("invalid \(flags[error.field] ?? error.field) \(error.value): allowed \(error.allowed)")
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }

        var settings = LabRunSettings()
        settings.preset = Preset(rawValue: preset) ?? .gaussians
        settings.seed = seed
        settings.epochsPerSecond = speed
        settings.startsPlaying = !paused
        let run: LabRun
        do {
            run = try LabRun(settings: settings)
        } catch {
            throw ValidationError("cannot start the run: \(error)")
        }

        let server = HTTPServer(configuration: configuration)
        LabRoutes.install(on: &server.router, run: run)
        let signals: ShutdownSignals
        do {
            signals = try ShutdownSignals { _ in server.shutdown() }
            try server.start()
        } catch let error as SocketError where error.isUsageError {
            throw ValidationError(error.description)
        } catch {
            // One line (SocketError / ServerConfigurationError describe themselves), exit 1, no trap.
            FileHandle.standardError.write(Data("ganlab: \(error)\n".utf8))
            throw ExitCode(1)
        }
        run.start()
        let address = server.localAddress.map { "\($0.urlHost):\($0.port)" } ?? "\(host):\(port)"
        print("ganlab: listening on http://\(address)")
        fflush(stdout)
        server.waitUntilStopped()
        run.stop()
        signals.cancel()
    }
}
