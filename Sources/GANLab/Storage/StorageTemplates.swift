import GANEngine

/// Runs that do not start from scratch, for the lab's create route: the committed pretrained runs and share links.
public struct StorageTemplates: RunTemplates {
    /// Where the pretrained runs are.
    public let pretrained: PretrainedRuns

    /// Templates from the pretrained folder.
    public init(pretrained: PretrainedRuns) {
        self.pretrained = pretrained
    }

    /// The preset's pretrained run, paused at its trained epoch (nil when none is shipped or it cannot be read).
    public func pretrainedRecord(for preset: Preset) -> RunRecord? {
        guard var record = try? pretrained.record(for: preset) else { return nil }
        record.playState = .paused
        return record
    }

    /// The start a share link encodes: data, profile, seed and the base configuration as overrides. (The link's
    /// edit log is replayed once the lab schedules `RunEditLog` edits: `RunReplay`.)
    public func blueprint(fromShare blob: String, configuration: LabConfiguration) throws(LabProtocolError) -> RunBlueprint {
        let link: ShareLink
        do {
            link = try ShareLinkCodec.decode(blob)
        } catch {
            throw .badField(field: "share", message: error.description)
        }
        var blueprint = RunBlueprint(configuration: configuration)
        blueprint.data = link.data
        blueprint.defaults = link.defaults
        blueprint.seed = link.edits.base.seed
        blueprint.overrides = link.edits.base.settingValues
        return blueprint
    }
}
