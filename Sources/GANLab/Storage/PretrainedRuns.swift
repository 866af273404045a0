import Foundation
import GANEngine

/// The committed pretrained runs (`Pretrained/PRESET.ganrun`, made by `scripts/pretrain.sh`): a class sees a converged
/// generator at once (`POST /api/runs {"pretrained": "ring"}`), as the reference's pretrained models offer.
public struct PretrainedRuns: Sendable {
    /// The folder's conventional name; it sits beside `Public/` in every layout (package root, Docker's /app, an install).
    public static let folderName = "Pretrained"

    /// The folder (nil: none found, so no preset offers a pretrained run).
    public let directory: String?
    /// The presets with a file, in preset order.
    public let available: [Preset]

    /// Runs in `directory`.
    public init(directory: String?) {
        self.directory = directory
        available = directory.map { dir in
            Preset.allCases.filter { FileManager.default.isReadableFile(atPath: dir + "/" + Self.fileName($0)) }
        } ?? []
    }

    /// `explicit` if given, else `Pretrained/` beside the static-files folder, if it exists.
    public static func locate(explicit: String?, publicDirectory: String?) -> String? {
        var isDirectory: ObjCBool = false
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue }
        if let explicit { return exists(explicit) ? explicit : nil }
        guard let publicDirectory else { return nil }
        let candidate = ((publicDirectory as NSString).deletingLastPathComponent as NSString).appendingPathComponent(folderName)
        return exists(candidate) ? candidate : nil
    }

    /// The file name of a preset's run.
    public static func fileName(_ preset: Preset) -> String { "\(preset.rawValue).\(RunFormat.fileExtension)" }

    /// The preset's pretrained run, nil when none is shipped; a damaged file throws naming it.
    public func record(for preset: Preset) throws(StorageError) -> RunRecord? {
        guard let directory, available.contains(preset) else { return nil }
        let path = directory + "/" + Self.fileName(preset)
        do {
            let record = try RunRecordCodec.decode(try SystemFileSystem().readFile(path))
            try record.checkRestorable()
            return record
        } catch let error as RunFormatError {
            throw .failed("pretrained run \(path) cannot be read: \(error)")
        } catch {
            throw .failed("\(error)")
        }
    }
}
