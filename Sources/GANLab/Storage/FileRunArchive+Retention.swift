import Foundation

extension FileRunArchive {
    /// With `--max-saved-runs` / `--max-saved-bytes` set, deletes the least recently updated saved runs that are not
    /// in memory (never `keeping`, never one whose save is pending) until both limits hold, logging each. Called
    /// after every save and by the retry thread every `retryInterval`, so a run is removed at most that long after
    /// it left memory. Runs in memory are never deleted: while they alone exceed a limit the directory stays over it,
    /// which is logged at most once a minute (with how often it happened). Without limits it does nothing.
    public func enforceLimits(keeping code: RunCode? = nil) {
        guard options.maxSavedRuns != nil || options.maxSavedBytes != nil else { return }
        while true {
            state.lock()
            let count = index.count
            let bytes = index.values.reduce(0) { $0 + $1.bytes }
            let overCount = options.maxSavedRuns.map { count > $0 } ?? false
            let overBytes = options.maxSavedBytes.map { bytes > $0 } ?? false
            let candidates = index.filter { $0.key != code && pending[$0.key] == nil }.sorted { $0.value.updatedAt < $1.value.updatedAt }
            state.unlock()
            guard overCount || overBytes else { return }
            guard let victim = candidates.first(where: { !isInUse($0.key) }) else {
                let times = state.withLock { overLimitWarning.occurred(at: Date()) }
                if let times {
                    let limits = [options.maxSavedRuns.map { "\($0) runs" }, options.maxSavedBytes.map { "\($0) bytes" }].compactMap { $0 }
                    let line = "data directory \(directory) is over its limit (\(count) runs, \(bytes) bytes; allowed "
                        + "\(limits.joined(separator: ", "))) but every saved run is in memory, and those are never deleted: the oldest "
                        + "go once they have left memory (\(times) times since the last such line)"
                    logger.warning("\(line)")
                }
                return
            }
            do {
                try remove(victim.key)
                logger.notice("deleted saved run \(victim.key) (last updated \(victim.value.updatedAt)) to stay within the data directory's limits")
            } catch {
                logger.error("cannot delete saved run \(victim.key) to stay within limits: \(error)")
                return
            }
        }
    }
}
