import GANEngine

extension ByteWriter {
    /// A settings list (docs/run-format.md §1.3), keys sorted so equal configurations give equal bytes.
    mutating func settings(_ values: [String: SettingValue]) {
        count(values.count)
        for key in values.keys.sorted() {
            string(key)
            switch values[key]! {
            case .integer(let v): u8(RunFormat.SettingType.integer.rawValue); i64(v)
            case .number(let v): u8(RunFormat.SettingType.number.rawValue); f64(v)
            case .boolean(let v): u8(RunFormat.SettingType.boolean.rawValue); bool(v)
            case .choice(let v): u8(RunFormat.SettingType.choice.rawValue); string(v)
            }
        }
    }
}

extension ByteReader {
    /// A settings list as key → value (types checked later against the settings table).
    mutating func settings() throws(RunFormatError) -> [String: SettingValue] {
        let n = try count(itemBytes: 6)
        var values: [String: SettingValue] = [:]
        for _ in 0..<n {
            let key = try string()
            let value: SettingValue
            switch RunFormat.SettingType(rawValue: try u8()) {
            case .integer: value = .integer(try i64())
            case .number: value = .number(try f64())
            case .boolean: value = .boolean(try bool())
            case .choice: value = .choice(try string())
            case nil: throw malformed("setting \(key) has an unknown type")
            }
            guard values.updateValue(value, forKey: key) == nil else { throw malformed("setting \(key) appears twice") }
        }
        return values
    }
}

extension GANConfiguration {
    /// The engine defaults with `values` applied (docs/run-format.md §1.3): a missing key keeps its default;
    /// an unknown key, a wrong type or a value out of range is refused, naming the key.
    static func decoded(from values: [String: SettingValue], startingFrom start: GANConfiguration = GANConfiguration())
        throws(RunFormatError) -> GANConfiguration {
        if let unknown = values.keys.sorted().first(where: { settingsByKey[$0] == nil }) {
            throw .invalidValue("setting \"\(unknown)\" is unknown to this ganlab (saved by a newer ganlab)")
        }
        var configuration = start
        do {
            try configuration.apply(values)
        } catch {
            throw .invalidValue("setting \(error.description)")
        }
        // Canonical form: the table writes "activation" before "leakySlope", which leaves a stale slope inside
        // the stored activation (same behaviour, but `==` would see it); re-setting the activation stores the kept slope.
        configuration.generator.activation = configuration.generator.activation
        configuration.discriminator.activation = configuration.discriminator.activation
        return configuration
    }
}
