import Foundation

extension FileRunArchive {
    /// With `--max-saved-runs` / `--max-saved-bytes` set, deletes the least recently updated runs that are not
    /// in use (never `keeping`) until both limits hold, logging each. Without them it does nothing.
    func enforceLimits(keeping code: RunCode) {
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
                logger.warning("data directory over its limit (\(count) runs, \(bytes) bytes) but every run is in use")
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
