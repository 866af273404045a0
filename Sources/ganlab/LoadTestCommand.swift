import ArgumentParser
import Foundation
import GANLab
import Glibc
import LabClient

/// `ganlab loadtest`: the issue's two classroom loads against a real server over loopback, with a client on the
/// project's own frame codec (a Python client saturates first). (a) `--scenario runs`: 64 runs playing, one
/// viewer each at 30 frames/s; (b) `--scenario viewers`: one run watched by 500. Reports frames per viewer per
/// second, gaps between frames, dropped viewers, command-to-frame latency (pause, then play, on one run at a
/// time), and the server's CPU and resident memory. docs/load-test.md has the figures.
struct LoadTestCommand: ParsableCommand {
    /// Name and abstract for `--help`.
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load the lab with many runs or many viewers over loopback and report frame rates, gaps and latency.",
        discussion: "Starts 'ganlab serve --port 0 --in-memory' itself (so it can read the server's CPU and memory) unless --port is given."
    )

    @Option(help: "runs: many runs, one viewer each; viewers: one run, many viewers.")
    var scenario = "runs"
    @Option(help: "Runs in the runs scenario (1...256).")
    var runs = 64
    @Option(help: "Viewers in the viewers scenario (1...1000).")
    var viewers = 500
    @Option(help: "Seconds to measure (1...3600), after the warm-up.")
    var seconds: Double = 20
    @Option(help: "Seconds before measuring.")
    var warmup: Double = 3
    @Option(help: "Training speed of the runs: epochs per second or max.")
    var speed = "100"
    @Option(help: "Settings of the runs: lab (the server's default: each preset's converging networks) or reference (GAN Lab's small networks).")
    var defaults = "lab"
    @Option(help: "Setting overrides of the runs, as a JSON object of setting keys (e.g. '{\"batchSize\":1024}').")
    var config = "{}"
    @Option(help: "Frames per second each viewer asks for (1...60).")
    var fps = 30
    @Option(help: "Seconds between pause/play probes.")
    var probeInterval: Double = 1
    @Option(help: "Client threads polling the sockets.")
    var threads = 2
    @Option(help: "Worker threads of the server this command starts (default: its default).")
    var workers: Int?
    @Option(help: "Port of a server already running (then its CPU and memory are not measured).")
    var port: Int?
    @Flag(help: "Print one JSON object.")
    var json = false
    @Flag(help: "Exit 1 unless every viewer stayed connected, got frames, and every probe was answered (a functional check, not a speed target).")
    var check = false

    /// Range checks.
    func validate() throws {
        guard ["runs", "viewers"].contains(scenario) else { throw ValidationError("--scenario \(scenario): allowed runs, viewers") }
        guard (1...256).contains(runs) else { throw ValidationError("--runs \(runs): allowed 1...256") }
        guard (1...1000).contains(viewers) else { throw ValidationError("--viewers \(viewers): allowed 1...1000") }
        guard (1...3600).contains(seconds), (0...600).contains(warmup) else { throw ValidationError("--seconds 1...3600, --warmup 0...600") }
        guard ["lab", "reference"].contains(defaults) else { throw ValidationError("--defaults \(defaults): allowed lab, reference") }
        guard config.hasPrefix("{"), config.hasSuffix("}") else { throw ValidationError("--config \(config): a JSON object") }
        guard (1...60).contains(fps) else { throw ValidationError("--fps \(fps): allowed 1...60") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads): allowed 1...64") }
    }

    /// Sets up the load, measures, prints the report.
    func run() throws {
        let server: LoadTestServer
        if let port {
            server = LoadTestServer(port: port)
        } else {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            // One client address makes all the runs: lift the per-address limit on new runs (docs/api.md, "Limits").
            server = try LoadTestServer(executable: executable,
                                        arguments: ["--creates-per-minute", "60000"] + (workers.map { ["--workers", String($0)] } ?? []))
        }
        defer { server.stop() }
        let idleMemory = server.residentBytes
        let runCount = scenario == "runs" ? runs : 1
        let speedJSON = speed == "max" ? "\"max\"" : speed
        var connections: [LoadTestViewer] = []
        var probes: [(LoadTestProbe, LoadTestViewer)] = []
        for _ in 0..<runCount {
            let answer = try HTTPClient.request("POST", "/api/runs", port: server.port,
                                                body: Array(#"{"speed":\#(speedJSON),"playing":true,"defaults":"\#(defaults)","config":\#(config)}"#.utf8),
                                                timeout: 30)
            guard answer.status == 201, let code = answer.json?["code"] as? String, let token = answer.json?["token"] as? String else {
                throw LoadTestError("creating a run answered \(answer.status): \(answer.text)")
            }
            let probe = LoadTestProbe()
            let perRun = scenario == "runs" ? 1 : viewers
            for index in 0..<perRun {
                let viewer = try LoadTestViewer(port: server.port, code: code, probe: probe, isController: index == 0,
                                                token: index == 0 ? token : nil)
                if fps != 30 { try viewer.client.send(text: #"{"type":"subscribe","fps":\#(fps)}"#) }
                if index == 0 { probes.append((probe, viewer)) }
                connections.append(viewer)
            }
        }
        let loadedMemory = server.residentBytes
        let pollers = (0..<threads).map { t in LoadTestPoller(stride(from: t, to: connections.count, by: threads).map { connections[$0] }) }
        pollers.forEach { $0.start() }
        let clock = MonotonicClock()
        let warmupEnd = clock.now() + warmup
        while clock.now() < warmupEnd { usleep(10_000) }
        pollers.forEach { $0.setMeasuring(true) }
        let cpuStart = server.cpuSeconds, start = clock.now()
        var nextProbe = start, probeIndex = 0
        while clock.now() < start + seconds {
            if clock.now() >= nextProbe {
                probes[probeIndex % probes.count].0.requestStart()
                probeIndex += 1
                nextProbe += probeInterval
            }
            usleep(5_000)
        }
        let elapsed = clock.now() - start
        pollers.forEach { $0.setMeasuring(false) }
        let cpuEnd = server.cpuSeconds
        pollers.forEach { $0.stop() }
        let report = LoadTestReport(scenario: scenario, runs: runCount, connections: connections, probes: probes.map(\.0),
                                    seconds: elapsed, serverCPU: zip2(cpuStart, cpuEnd).map { ($0.1 - $0.0) / elapsed },
                                    idleMemory: idleMemory, loadedMemory: loadedMemory)
        print(json ? report.json : report.text)
        for connection in connections { connection.client.close() }
        if check, let problem = report.functionalProblem {
            FileHandle.standardError.write(Data("loadtest: \(problem)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}

/// One client thread: polls its sockets and accounts for every frame.
final class LoadTestPoller: @unchecked Sendable {
    private let viewers: [LoadTestViewer]
    private let lock = NSLock()
    private var isMeasuring = false
    private var isStopping = false
    private var isStopped = false
    private let done = NSCondition()

    /// A poller for `viewers` (each socket read by this thread only).
    init(_ viewers: [LoadTestViewer]) { self.viewers = viewers }

    /// Starts or stops counting frames.
    func setMeasuring(_ value: Bool) { lock.lock(); isMeasuring = value; lock.unlock() }

    /// Starts the thread.
    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "loadtest-poller"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        lock.lock(); isStopping = true; lock.unlock()
        done.lock()
        while !isStopped { done.wait() }
        done.unlock()
    }

    private func loop() {
        let clock = MonotonicClock()
        var fds = viewers.map { pollfd(fd: $0.client.connection.fd, events: Int16(POLLIN), revents: 0) }
        while true {
            lock.lock()
            let stopping = isStopping, measuring = isMeasuring
            lock.unlock()
            if stopping { break }
            _ = poll(&fds, nfds_t(fds.count), 5)
            let now = clock.now()
            for index in fds.indices {
                let viewer = viewers[index]
                if fds[index].revents != 0, !viewer.isDropped { viewer.read(now: now, isMeasuring: measuring) }
                if viewer.isDropped { fds[index].fd = -1 }
                fds[index].revents = 0
                if viewer.isController { viewer.probe.drive(viewer, now: now) }
            }
        }
        done.lock()
        isStopped = true
        done.broadcast()
        done.unlock()
    }
}
