import ArgumentParser
import Foundation
import GANLab
import Logging

/// `ganlab serve`'s persistence flags (docs/run-format.md §2, docs/scaling.md), kept apart from the lab's own.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Folder of saved runs (default \(DataDirectory.defaultPath()); /data in Docker).", valueName: "dir"))
    var dataDirectory: String?

    @Flag(name: .customLong("in-memory"), help: "Keep runs in memory only: nothing is saved or restored (tests, benchmarks).")
    var inMemory = false

    @Option(name: .customLong("max-saved-runs"), help: "Delete the least recently updated saved runs not in memory beyond this many (default: never delete).")
    var maxSavedRuns: Int?

    @Option(name: .customLong("max-saved-bytes"), help: "Same, beyond this many bytes of saved runs (default: never delete).")
    var maxSavedBytes: Int?

    @Option(name: .customLong("pretrained"), help: ArgumentHelp("Folder of pretrained runs (default: Pretrained/ beside the static files).", valueName: "dir"))
    var pretrainedDirectory: String?

    @Option(name: .customLong("code-prefix"), help: "First character of every new run code, naming this instance behind nginx (docs/scaling.md).")
    var codePrefix: String?

    /// Checks the flags before anything starts.
    func validate() throws {
        if inMemory, dataDirectory != nil || maxSavedRuns != nil || maxSavedBytes != nil {
            throw ValidationError("--in-memory saves nothing: drop --data-dir, --max-saved-runs and --max-saved-bytes")
        }
        if let maxSavedRuns, maxSavedRuns < 1 { throw ValidationError("invalid --max-saved-runs \(maxSavedRuns): allowed 1 or more") }
        if let maxSavedBytes, maxSavedBytes < 1 { throw ValidationError("invalid --max-saved-bytes \(maxSavedBytes): allowed 1 or more") }
        if let codePrefix, codePrefix.count != 1 || !RunCode.alphabet.contains(Character(codePrefix.uppercased())) {
            throw ValidationError("invalid --code-prefix '\(codePrefix)': allowed one of \(String(RunCode.alphabet))")
        }
        if let pretrainedDirectory, PretrainedRuns.locate(explicit: pretrainedDirectory, publicDirectory: nil) == nil {
            throw ValidationError("--pretrained \(pretrainedDirectory): no such folder")
        }
    }

    /// The code prefix, upper case.
    var prefix: Character? { codePrefix.map { Character($0.uppercased()) } }

    /// The data directory opened (nil with --in-memory); another server on it is a usage error (exit 2).
    func makeArchive(logger: Logger) throws -> FileRunArchive? {
        guard !inMemory else { return nil }
        let options = FileRunArchive.Options(maxSavedRuns: maxSavedRuns, maxSavedBytes: maxSavedBytes)
        do {
            return try FileRunArchive(directory: dataDirectory ?? DataDirectory.defaultPath(), options: options, logger: logger)
        } catch {
            throw ValidationError("--data-dir: \(error)")
        }
    }

    /// Pretrained runs beside `publicDirectory` unless --pretrained names a folder.
    func pretrainedRuns(publicDirectory: String?) -> PretrainedRuns {
        PretrainedRuns(directory: PretrainedRuns.locate(explicit: pretrainedDirectory, publicDirectory: publicDirectory))
    }
}
