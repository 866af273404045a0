import GANEngine

/// What a share link carries: everything needed to reproduce a run from its start (docs/run-format.md §4).
public struct ShareLink: Sendable, Equatable {
    /// The real data.
    public var data: RunData
    /// The settings profile the run started from.
    public var defaults: SettingsProfile
    /// The start (base configuration, seed included) and the changes on the way.
    public var edits: RunEditLog
    /// The original's epoch when the link was made.
    public var epoch: Int

    /// A link from its parts.
    public init(data: RunData, defaults: SettingsProfile, edits: RunEditLog, epoch: Int) {
        self.data = data
        self.defaults = defaults
        self.edits = edits
        self.epoch = epoch
    }

    /// The link of a saved run; refused when its edit log overflowed.
    public init(record: RunRecord) throws(ShareLinkError) {
        guard record.edits.isComplete else { throw .incompleteHistory }
        self.init(data: record.data, defaults: record.defaults, edits: record.edits, epoch: record.trainer.epoch)
    }

    /// The URL path the page shows for `blob`.
    public static func path(for blob: String) -> String { "/s/" + blob }
}
