import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `ganlab` executable: parses flags and hands off to a subcommand.
///
/// Exit codes: 0 success; 2 a bad flag, value or configuration file (the message names the field
/// and the allowed range); 3 a training run diverged (NaN/infinity; the message gives the epoch).
@main
struct GANLabCommand: ParsableCommand {
    /// The command tree: `train` and `bench` (the lab adds `serve`).
    static let configuration = CommandConfiguration(
        commandName: "ganlab",
        abstract: "An interactive 2-D GAN laboratory.",
        version: GANLabVersion.text,
        subcommands: [ServeCommand.self, TrainCommand.self, BenchCommand.self]
    )

    /// Runs the command, mapping every usage or validation error to exit code 2 with no stack trace.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                var standardError = StandardError()
                print("Error: \(message(for: error))", to: &standardError)
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    /// Writes `string` to stderr unbuffered.
    mutating func write(_ string: String) { fputs(string, stderr) }
}
