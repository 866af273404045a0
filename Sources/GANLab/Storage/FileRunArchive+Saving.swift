import Foundation

extension FileRunArchive {
    /// Saves `record` atomically. On failure the previous file stays as it was, the record is kept in memory
    /// (and served by `load`), the reason goes to the log once and to `problems`, and the save is retried.
    public func save(_ record: RunRecord) throws(StorageError) {
        let codeLock = lock(for: record.code)
        codeLock.lock()
        do {
            try write(record)
        } catch {
            codeLock.unlock()
            throw error
        }
        codeLock.unlock()
        // After the run's lock is released: retention takes other runs' locks.
        enforceLimits(keeping: record.code)
    }

    /// Writes `record` (the caller holds its run's lock).
    private func write(_ record: RunRecord) throws(StorageError) {
        let code = record.code
        if let conflict = ensureLocked() {
            // Logged once for the directory (ensureLocked), not once per run.
            keep(record, reason: conflict, log: false)
            throw .notSaved(code: code, reason: conflict)
        }
        let bytes = RunRecordCodec.encode(record)
        do {
            try ensureDirectory()
            try writer.write(bytes, to: path(DataDirectory.fileName(code)), temporaryPath: path(DataDirectory.temporaryName(code)),
                             directory: directory)
        } catch {
            keep(record, reason: error.description, log: true)
            throw .notSaved(code: code, reason: error.description)
        }
        state.lock()
        if pending[code]?.updatedAt ?? .distantPast <= record.updatedAt { pending[code] = nil }
        let recovered = failures.removeValue(forKey: code) != nil
        index[code] = Entry(bytes: bytes.count, updatedAt: record.updatedAt)
        state.unlock()
        if recovered { logger.notice("run \(code) saved again after a failure") }
        directoryWorks()
    }

    /// A failed save: the record stays in memory for `load` and the retries; a new reason is logged once.
    private func keep(_ record: RunRecord, reason: String, log: Bool) {
        state.lock()
        // Keep the newest record: a retry must not overwrite a newer save that raced it.
        if pending[record.code].map({ $0.updatedAt <= record.updatedAt }) ?? true { pending[record.code] = record }
        let isNew = failures[record.code] != reason
        failures[record.code] = reason
        state.unlock()
        if isNew && log { logger.error("saving run \(record.code) failed: \(reason); kept in memory, retrying every \(options.retryInterval) s") }
    }

    /// Tries every failed save again (the retry thread calls this; tests call it directly); with none waiting, probes
    /// a directory that did not take writes, so its problem clears once the operator has fixed it. The directory's
    /// lock is taken first if this server does not hold it yet.
    public func retryFailedSaves() {
        let conflict = ensureLocked()
        state.lock()
        let codes = Array(pending.keys)
        let hasProblem = directoryProblem != nil
        state.unlock()
        if codes.isEmpty && hasProblem && conflict == nil && (try? ensureDirectory()) != nil && probeWrite() == nil { directoryWorks() }
        for code in codes { retry(code) }
    }

    /// Saves the run's pending record, if it is still pending once its lock is held: a removal (the run was deleted)
    /// may have come first, and must not be undone by writing the record back.
    private func retry(_ code: RunCode) {
        let codeLock = lock(for: code)
        codeLock.lock()
        state.lock()
        let current = pending[code]
        state.unlock()
        if let current { try? write(current) }
        codeLock.unlock()
        if current != nil { enforceLimits(keeping: code) }
    }

    /// Creates the directory again if it could not be created or written at start (the problem stays until a write works).
    func ensureDirectory() throws(FileSystemError) {
        state.lock()
        let problem = directoryProblem
        state.unlock()
        guard problem != nil else { return }
        try fileSystem.createDirectory(directory)
    }

    /// A write worked: a directory problem is over (logged once).
    func directoryWorks() {
        state.lock()
        let hadProblem = directoryProblem != nil
        directoryProblem = nil
        state.unlock()
        if hadProblem { logger.notice("data directory \(directory) is usable again") }
    }

    /// Problems for `GET /healthz` (empty when all is well): failed saves, an unusable directory, files moved aside.
    public var problems: [String] {
        state.lock()
        defer { state.unlock() }
        var out: [String] = []
        if let lockConflict { out.append(lockConflict) }
        if let directoryProblem { out.append(directoryProblem) }
        let failed = failures.sorted { $0.key.text < $1.key.text }
        for (code, reason) in failed.prefix(5) { out.append("run \(code) not saved: \(reason) (kept in memory, retrying)") }
        if failed.count > 5 { out.append("\(failed.count - 5) more runs not saved") }
        for file in quarantinedFiles.prefix(5) {
            out.append("unreadable file \(file.name) (\(file.reason))" + (file.movedTo.map { " moved to \($0)" } ?? ""))
        }
        if quarantinedFiles.count > 5 { out.append("\(quarantinedFiles.count - 5) more unreadable files in \(directory)/corrupt") }
        return out
    }

    /// Files that could not be read since the archive opened.
    public var quarantined: [QuarantinedFile] {
        state.lock()
        defer { state.unlock() }
        return quarantinedFiles
    }
}
