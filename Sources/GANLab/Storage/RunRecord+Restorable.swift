import GANEngine

extension RunRecord {
    /// Throws, naming the tensor, scalar or data field, when the lab could not continue this record.
    ///
    /// Why beside the decoder: a file can pass its checksum and every table of docs/run-format.md and still hold a
    /// trainer the configuration cannot take (a tensor missing or of another shape, a scalar missing). The data
    /// directory checks this when it lists a file and when it loads one, so such a file is moved to `corrupt/` and
    /// reported at once instead of leaving a code that answers "try again later" forever; an import gets its 400.
    public func checkRestorable() throws(RunFormatError) {
        let distribution: any RealDistribution
        do {
            distribution = try data.makeDistribution()
        } catch {
            throw .invalidValue("data: \(error.message)")
        }
        do {
            _ = try Trainer(restoring: trainer, distribution: distribution)
        } catch {
            throw .invalidValue(error.description)
        }
    }
}
