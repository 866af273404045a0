import GANEngine

extension FieldReader {
    /// `config`: flat setting keys (docs/protocol.md §4) → values of the type the settings table says. Ranges
    /// are checked when the changes are applied (all or nothing).
    func settings(_ key: String) throws(LabProtocolError) -> [String: SettingValue]? {
        guard let value = present(key) else { return nil }
        guard case .object(let object) = value else {
            throw .badField(field: prefix + key, message: "\(prefix + key) must be an object of setting keys and values, not \(value.kindDescription).")
        }
        var changes: [String: SettingValue] = [:]
        for (name, json) in object.pairs {
            guard let setting = GANConfiguration.settingsByKey[name] else { throw LabProtocolError(SettingError.unknownKey(name)) }
            changes[name] = try Self.settingValue(json, for: setting, field: name)
        }
        return changes
    }

    /// One setting's JSON value in the table's type (an integer setting takes whole numbers only).
    static func settingValue(_ json: JSON, for setting: Setting, field: String) throws(LabProtocolError) -> SettingValue {
        switch (setting.kind, json) {
        case (.integer(let range), .number):
            // The setting's own range, so any whole number outside it (1e20 too) reads "allowed 1…256".
            return .integer(try integer(json, field: field, in: range))
        case (.number, .number(let number)):
            guard number.isFinite else { throw .notFinite(field: field) }
            return try validated(.number(number), setting)
        case (.boolean, .bool(let flag)):
            return .boolean(flag)
        case (.choice, .string(let name)):
            return try validated(.choice(name), setting)
        default:
            throw LabProtocolError(SettingError.wrongType(key: field, expected: setting.kind.typeName))
        }
    }

    private static func validated(_ value: SettingValue, _ setting: Setting) throws(LabProtocolError) -> SettingValue {
        do { return try setting.validated(value) } catch { throw LabProtocolError(error) }
    }

    /// A drawing: `points` ([[x, y], …], 1…`maxPoints`), optional `weights` and `jitter`, validated as the engine
    /// will sample it (so a refused drawing never reaches a run).
    func drawing(maxPoints: Int) throws(LabProtocolError) -> RunData? {
        guard let points = try list("points") else {
            if has("weights") || has("jitter") {
                throw .badField(field: prefix + "points", message: "weights and jitter need points.")
            }
            return nil
        }
        guard points.count <= maxPoints else { throw .tooManyPoints(count: points.count, maximum: maxPoints) }
        var vectors: [SIMD2<Float>] = []
        vectors.reserveCapacity(points.count)
        for (index, point) in points.enumerated() {
            let field = "\(prefix)points[\(index)]"
            guard case .array(let pair) = point, pair.count == 2, case .number(let x) = pair[0], case .number(let y) = pair[1] else {
                throw .badField(field: field, message: "\(field) must be a pair of numbers [x, y].")
            }
            guard x.isFinite, y.isFinite else { throw .notFinite(field: field) }
            // Snapped to the 1/4096 grid (DrawingGrid), so a share link carries the drawing exactly and briefly.
            vectors.append(SIMD2((Float(x) * DrawingGrid.stepsPerUnit).rounded() / DrawingGrid.stepsPerUnit,
                                 (Float(y) * DrawingGrid.stepsPerUnit).rounded() / DrawingGrid.stepsPerUnit))
        }
        var weights: [Float]?
        if let list = try list("weights") {
            var values: [Float] = []
            values.reserveCapacity(list.count)
            for (index, item) in list.enumerated() {
                let field = "\(prefix)weights[\(index)]"
                guard case .number(let w) = item else { throw .badField(field: field, message: "\(field) must be a number.") }
                guard w.isFinite else { throw .notFinite(field: field) }
                values.append(Float(w))
            }
            weights = values
        }
        let range = DrawnDistribution.jitterRange
        let jitter = try number("jitter", in: Double(range.lowerBound)...Double(range.upperBound)).map(Float.init)
            ?? DrawnDistribution.defaultJitter
        let distribution: DrawnDistribution
        do {
            distribution = try DrawnDistribution(points: vectors, weights: weights, jitter: jitter)
        } catch {
            throw LabProtocolError(error)
        }
        return .points(coordinates: distribution.coordinates, weights: weights, jitter: jitter)
    }
}
