import Foundation

/// Finds the folder of static files when `--public` was not given.
public enum PublicFolder {
    /// The folder's conventional name.
    public static let name = "Public"

    /// The first existing candidate: `explicit`; `Public/` beside the executable (an installed copy);
    /// `Public/` in the current directory; `Public/` in the package root found by walking up from the
    /// executable (a `swift run` / `.build/...` binary). Nil when none exists.
    public static func locate(explicit: String?, executablePath: String, currentDirectory: String) -> String? {
        let fm = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        if let explicit { return isDirectory(explicit) ? explicit : nil }
        let executableFolder = (executablePath as NSString).deletingLastPathComponent
        var candidates = [executableFolder + "/" + name, executableFolder + "/../share/ganlab/" + name,
                          currentDirectory + "/" + name]
        var folder = executableFolder
        while folder != "/" && !folder.isEmpty {
            if fm.fileExists(atPath: folder + "/Package.swift") { candidates.append(folder + "/" + name); break }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return candidates.first(where: isDirectory).map { ($0 as NSString).standardizingPath }
    }
}
