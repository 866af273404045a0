import GANEngine

/// What one run may cost: memory (`RunFootprint`) and the work of one update and one frame (`RunCost`), checked
/// when a run is created, forked, imported or reconfigured (docs/api.md, "Limits").
extension RunRegistry {
    /// The estimated bytes of a run with `configuration`, refused when one run may not hold that much, or when one
    /// of its updates or frames would hold a worker far longer than a time slice (`RunCost`).
    func footprint(of configuration: GANConfiguration) throws(LabProtocolError) -> Int {
        let c = environment.configuration
        let bytes = RunFootprint.bytes(configuration, shownRealSamples: c.shownRealSampleCount)
        guard bytes <= c.maxRunBytes else {
            throw .outOfRange(field: "config", message: "These settings need about \(RunFootprint.text(bytes)) of memory; a run may use "
                + "\(RunFootprint.text(c.maxRunBytes)) here: use fewer neurons or layers, a smaller batch, or fewer fakes or metric samples.")
        }
        let g = configuration.generator, d = configuration.discriminator, v = configuration.views
        let networks = "generator \(g.hiddenLayers) × \(g.neurons), discriminator \(d.hiddenLayers) × \(d.neurons)"
        let update = RunCost.updateWork(configuration)
        guard update <= c.maxUpdateWork else {
            throw .outOfRange(field: "config", message: "These settings need about \(RunCost.text(update)) multiply-adds per network update "
                + "(\(networks) neurons, batchSize \(configuration.batchSize)); a run may take \(RunCost.text(c.maxUpdateWork)) here, "
                + "since an update cannot be interrupted: use fewer neurons or layers, or a smaller batch.")
        }
        let frame = RunCost.frameWork(configuration, shownRealSamples: c.shownRealSampleCount)
        guard frame <= c.maxFrameWork else {
            throw .outOfRange(field: "config", message: "These settings need about \(RunCost.text(frame)) multiply-adds per frame "
                + "(\(networks) neurons, views.metricSampleCount \(v.metricSampleCount), views.fakeSampleCount \(v.fakeSampleCount), "
                + "views.decisionResolution \(v.decisionResolution)); a run may take \(RunCost.text(c.maxFrameWork)) here: use fewer "
                + "metric samples or fakes, a coarser decision field, or fewer neurons or layers.")
        }
        return bytes
    }
}
