import Foundation

/// Finds the folder of static files when `--public` was not given.
public enum PublicFolder {
    /// The folder's conventional name.
    public static let name = "Public"

    /// Where `locate` looks, in order: `Public/` beside the executable (an installed copy), in
    /// `../share/ganlab/`, in the current directory, and in the package root found by walking up from the
    /// executable (a `swift run` / `.build/...` binary).
    public static func candidates(executablePath: String, currentDirectory: String) -> [String] {
        let fm = FileManager.default
        let executableFolder = (executablePath as NSString).deletingLastPathComponent
        var candidates = [executableFolder + "/" + name, executableFolder + "/../share/ganlab/" + name,
                          currentDirectory + "/" + name]
        var folder = executableFolder
        while folder != "/" && !folder.isEmpty {
            if fm.fileExists(atPath: folder + "/Package.swift") { candidates.append(folder + "/" + name); break }
            folder = (folder as NSString).deletingLastPathComponent
        }
        var seen: Set<String> = []
        return candidates.map { ($0 as NSString).standardizingPath }.filter { seen.insert($0).inserted }
    }

    /// The first existing candidate: `explicit` if given (nil when it is not a folder), else the first of
    /// `candidates(executablePath:currentDirectory:)` that exists. Nil when none exists.
    public static func locate(explicit: String?, executablePath: String, currentDirectory: String) -> String? {
        if let explicit { return isDirectory(explicit) ? explicit : nil }
        return candidates(executablePath: executablePath, currentDirectory: currentDirectory).first(where: isDirectory)
    }

    /// One line for a person when no folder was found: every place that was searched and the two ways out.
    public static func notFoundMessage(executablePath: String, currentDirectory: String) -> String {
        let places = candidates(executablePath: executablePath, currentDirectory: currentDirectory).joined(separator: ", ")
        return "no \(name)/ folder of static files found (looked in: \(places)); pass --public DIR, or --api-only to serve the API alone"
    }

    private static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }
}
