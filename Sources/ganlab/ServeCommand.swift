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

    @Option(name: .customLong("allow-origin"), help: "Extra origin allowed to open WebSockets and send POSTs, e.g. http://host:8080, or * (repeatable).")
    var allowedOrigins: [String] = []

    @Option(name: .customLong("allow-host"), help: "Extra Host name the server answers to besides its own addresses and localhost, e.g. lab.school.example, .school.example (with subdomains), an IP address, or * (repeatable). Needed behind a proxy with a real domain, or in Docker reached through the host's address: other names get 421.")
    var allowedHosts: [String] = []

    @Option(name: .customLong("trusted-proxy"), help: "A reverse proxy (address or CIDR range, e.g. 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For names the client, for the per-address limits and the access log (repeatable).")
    var trustedProxies: [String] = []

    @Flag(name: .customLong("api-only"), help: "Serve the API and WebSockets without static files (no Public/ folder needed).")
    var apiOnly = false

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

    @Option(name: .customLong("creates-per-minute"), help: "New runs (creates, imports, forks) per minute from one client address, after a burst of 40 (default 60).")
    var createsPerMinute: Double?

    @Option(name: .customLong("data-dir"), help: "Folder where runs are saved and restored from (default: $XDG_DATA_HOME/ganlab, else $HOME/.local/share/ganlab, else ./ganlab-data when HOME is unset).")
    var dataDirectory: String?

    @Flag(name: .customLong("in-memory"), help: "Keep runs in memory only (nothing saved; for tests and benchmarks).")
    var inMemory = false

    @Option(name: .customLong("max-saved-runs"), help: "Keep at most this many saved runs: beyond it, delete the least recently updated runs that are not in memory (default: never delete).")
    var maxSavedRuns: Int?

    @Option(name: .customLong("max-saved-bytes"), help: "Keep at most this many bytes of saved runs (at least 1048576): beyond it, delete the least recently updated runs that are not in memory (default: never delete).")
    var maxSavedBytes: Int?

    @Option(name: .customLong("code-prefix"), help: "First letter of every new run code, for several servers behind one proxy (a letter of \(String(RunCode.alphabet))).")
    var codePrefix: String?

    // MARK: store (issue 7): pretrained runs, and the export/import/CSV/share routes installed below.
    @Option(name: .customLong("pretrained"), help: "Folder of pretrained runs (default: Pretrained/ beside the static files).")
    var pretrainedDirectory: String?

    @Option(help: "Log level: trace, debug (one access line per request), info, notice, warning, error, critical.")
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
        if let createsPerMinute { c.createsPerMinute = createsPerMinute }
        if let codePrefix {
            guard codePrefix.count == 1, let letter = codePrefix.uppercased().first, RunCode.alphabet.contains(letter) else {
                throw ValidationError("invalid --code-prefix '\(codePrefix)': allowed one of \(String(RunCode.alphabet))")
            }
            c.codePrefix = letter
        }
        do {
            try c.validate()
        } catch {
            let flag = ["defaultSeed": "--seed", "defaultSpeed": "--speed", "workers": "--workers", "codePrefix": "--code-prefix",
                        "createsPerMinute": "--creates-per-minute"][error.field]
                ?? error.field
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
        if let maxSavedRuns, maxSavedRuns < 1 { throw ValidationError("invalid --max-saved-runs \(maxSavedRuns): allowed 1 or more") }
        if let maxSavedBytes, maxSavedBytes < 1 << 20 {
            throw ValidationError("invalid --max-saved-bytes \(maxSavedBytes): allowed 1048576 (1 MiB) or more")
        }
        if let pretrainedDirectory, PretrainedRuns.locate(explicit: pretrainedDirectory, publicDirectory: nil) == nil {
            throw ValidationError("--pretrained \(pretrainedDirectory): no such folder")
        }
        if inMemory && (dataDirectory != nil || maxSavedRuns != nil || maxSavedBytes != nil) {
            throw ValidationError("--in-memory saves nothing: drop --data-dir, --max-saved-runs and --max-saved-bytes")
        }
        _ = try labConfiguration()
    }

    /// Binds, prints the listening line, and blocks until a signal's graceful shutdown finishes.
    func run() throws {
        var server = ServerConfiguration()
        server.host = host
        server.port = port
        server.allowedOrigins = allowedOrigins
        server.allowedHosts = allowedHosts
        server.trustedProxies = trustedProxies
        server.isEchoEnabled = !noEcho
        server.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        // POST /api/runs/import carries a whole saved run (a 6×256 Adam run is ~10 MB).
        server.parserLimits.maxBodyBytes = 16 << 20
        if !apiOnly {
            let executable = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } ?? ""
            let current = FileManager.default.currentDirectoryPath
            server.publicDirectory = PublicFolder.locate(explicit: publicDirectory, executablePath: executable, currentDirectory: current)
            if server.publicDirectory == nil {
                if let publicDirectory { throw ValidationError("--public \(publicDirectory): no such folder") }
                throw ValidationError(PublicFolder.notFoundMessage(executablePath: executable, currentDirectory: current))
            }
        }
        // Usage errors (bad --host, --allow-origin, --allow-host, --trusted-proxy) exit 2 like every other command.
        do { try server.validate() } catch {
            let flags = ["host": "--host", "port": "--port", "allowedOrigins": "--allow-origin", "allowedHosts": "--allow-host", "trustedProxies": "--trusted-proxy", "publicDirectory": "--public"]
            throw ValidationError("invalid \(flags[error.field] ?? error.field) \(error.value): allowed \(error.allowed)")
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }

        let archive: RunArchive
        var fileArchive: FileRunArchive?
        if inMemory {
            archive = MemoryRunArchive()
        } else {
            let directory = dataDirectory ?? DataDirectory.defaultPath()
            do {
                fileArchive = try FileRunArchive(directory: directory, options: FileRunArchive.Options(
                    maxSavedRuns: maxSavedRuns, maxSavedBytes: maxSavedBytes))
            } catch {
                throw ValidationError("--data-dir \(directory): \(error)")
            }
            archive = fileArchive!
        }
        let lab: Lab
        do {
            lab = try Lab(configuration: labConfiguration(), server: server, archive: archive)
        } catch let error as LabConfigurationError {
            throw ValidationError("\(error)")
        }
        // store (issue 7): export, import, CSV and share routes; pretrained runs and share links for create.
        StorageRoutes.install(on: lab, pretrained: PretrainedRuns(
            directory: PretrainedRuns.locate(explicit: pretrainedDirectory, publicDirectory: server.publicDirectory)))
        // Retention never deletes a run the lab holds in memory.
        fileArchive?.isInUse = { [weak lab] code in lab?.registry.isLive(code) ?? false }
        let signals: ShutdownSignals
        do {
            let count = SignalCount()
            signals = try ShutdownSignals { _ in
                // The first signal stops gracefully; a second one means "now".
                if count.increment() > 1 { _exit(1) }
                lab.shutdown()
            }
            try lab.start()
        } catch let error as SocketError where error.isUsageError {
            throw ValidationError(error.description)
        } catch {
            // One line (SocketError / ServerConfigurationError describe themselves), exit 1, no trap.
            FileHandle.standardError.write(Data("ganlab: \(error)\n".utf8))
            throw ExitCode(1)
        }
        // Issue 9: the start-up log says which BLAS kernels run (BLASCore picks them for this CPU). On standard
        // error, before the listening line, whatever --log-level says; standard output's first line stays the address.
        FileHandle.standardError.write(Data("ganlab: BLAS kernels: \(BLASCore.description)\n".utf8))
        let address = lab.server.localAddress.map { "\($0.urlHost):\($0.port)" } ?? "\(host):\(port)"
        print("ganlab: listening on http://\(address)")
        fflush(stdout)
        lab.waitUntilStopped()
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
