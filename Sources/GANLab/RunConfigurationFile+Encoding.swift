import GANEngine

extension RunConfigurationFile {
    /// The configuration as a run-configuration file: every setting of the table at its JSON path, keys
    /// sorted, two-space indentation; reading the text back gives the same configuration.
    public static func text(for configuration: GANConfiguration, preset: Preset?, profile: SettingsProfile? = nil) -> String {
        var root = Node()
        if let preset { root.insert(["preset"], .string(preset.rawValue)) }
        if let profile { root.insert(["defaults"], .string(profile.rawValue)) }
        for setting in GANConfiguration.settings {
            let path = setting.key.split(separator: ".").map(String.init)
            switch setting.value(in: configuration) {
            case .integer(let i): root.insert(path, .literal(String(i)))
            // A Float's shortest decimal form ("0.9", "1e-08"), which reads back to the same Float.
            case .number(let d): root.insert(path, .literal(Double(Float(d)) == d ? "\(Float(d))" : "\(d)"))
            case .boolean(let b): root.insert(path, .literal(b ? "true" : "false"))
            case .choice(let name): root.insert(path, .string(name))
            }
        }
        return root.text(indent: "")
    }

    /// A tree of JSON objects being written.
    private struct Node {
        enum Leaf { case literal(String), string(String) }
        var leaves: [String: Leaf] = [:]
        var children: [String: Node] = [:]

        mutating func insert(_ path: [String], _ leaf: Leaf) {
            if path.count == 1 { leaves[path[0]] = leaf; return }
            children[path[0], default: Node()].insert(Array(path.dropFirst()), leaf)
        }

        func text(indent: String) -> String {
            let inner = indent + "  "
            var lines: [String] = []
            for key in Set(leaves.keys).union(children.keys).sorted() {
                if let leaf = leaves[key] {
                    switch leaf {
                    case .literal(let text): lines.append("\(inner)\(quoted(key)): \(text)")
                    case .string(let text): lines.append("\(inner)\(quoted(key)): \(quoted(text))")
                    }
                } else if let child = children[key] {
                    lines.append("\(inner)\(quoted(key)): \(child.text(indent: inner))")
                }
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        }

        /// A JSON string literal (RFC 8259 §7 escapes).
        func quoted(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
    }
}
