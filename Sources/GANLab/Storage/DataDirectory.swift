import Foundation

/// Where saved runs live and how their files are named (docs/run-format.md §2).
public enum DataDirectory {
    /// `$XDG_DATA_HOME/ganlab`, else `~/.local/share/ganlab` (XDG Base Directory spec), else `./ganlab-data`:
    /// a place a user without root can write. The Docker image uses `/data`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/ganlab" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/ganlab" }
        return "ganlab-data"
    }

    /// The saved run of `code`.
    static func fileName(_ code: RunCode) -> String { "\(code.text).\(RunFormat.fileExtension)" }
    /// The save in progress of `code`.
    static func temporaryName(_ code: RunCode) -> String { ".\(code.text).\(RunFormat.fileExtension).tmp" }
    /// The folder files that cannot be read are moved to.
    static let corruptFolder = "corrupt"
    /// The lock file.
    static let lockName = ".lock"
    /// The file written and removed to learn whether the directory takes writes (at start, and while it did not).
    static let probeName = ".probe"

    /// What a file name in the data directory is.
    enum Name: Equatable {
        case run(RunCode), temporary(RunCode), lock, probe, other
    }

    /// Classifies a file name.
    static func classify(_ name: String) -> Name {
        if name == lockName { return .lock }
        if name == probeName { return .probe }
        let suffix = "." + RunFormat.fileExtension
        if name.hasPrefix("."), name.hasSuffix(suffix + ".tmp") {
            let text = String(name.dropFirst().dropLast(suffix.count + 4))
            if let code = RunCode(text), code.text == text { return .temporary(code) }
        } else if name.hasSuffix(suffix) {
            let text = String(name.dropLast(suffix.count))
            if let code = RunCode(text), code.text == text { return .run(code) }
        }
        return .other
    }
}
