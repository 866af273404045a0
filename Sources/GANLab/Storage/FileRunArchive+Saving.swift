import Foundation

extension FileRunArchive {
    /// Saves `record` atomically. On failure the previous file stays as it was, the record is kept in memory
    /// (and served by `load`), the reason goes to the log once and to `problems`, and the save is retried.
    public func save(_ record: RunRecord) throws(StorageError) {
        let bytes = RunRecordCodec.encode(record)
        let code = record.code
        let codeLock = lock(for: code)
        codeLock.lock()
        defer { codeLock.unlock() }
        do {
            try ensureDirectory()
            try writer.write(bytes, to: path(DataDirectory.fileName(code)), temporaryPath: path(DataDirectory.temporaryName(code)),
                             directory: directory)
        } catch {
            let reason = error.description
            state.lock()
            // Keep the newest record: a retry must not overwrite a newer save that raced it.
            pending[code] = record
            let isNew = failures[code] != reason
            failures[code] = reason
            state.unlock()
            if isNew { logger.error("saving run \(code) failed: \(reason); kept in memory, retrying every \(options.retryInterval) s") }
            throw .notSaved(code: code, reason: reason)
        }
        state.lock()
        if pending[code]?.updatedAt ?? .distantPast <= record.updatedAt { pending[code] = nil }
        let recovered = failures.removeValue(forKey: code) != nil
        index[code] = Entry(bytes: bytes.count, updatedAt: record.updatedAt)
        state.unlock()
        if recovered { logger.notice("run \(code) saved again after a failure") }
        directoryWorks()
        enforceLimits(keeping: code)
    }

    /// Tries every failed save again (the retry thread calls this; tests call it directly); with none waiting, probes
    /// a directory that did not take writes, so its problem clears once the operator has fixed it.
    public func retryFailedSaves() {
        state.lock()
        let records = Array(pending.values)
        let hasProblem = directoryProblem != nil
        state.unlock()
        if records.isEmpty && hasProblem && (try? ensureDirectory()) != nil && probeWrite() == nil { directoryWorks() }
        for record in records {
            state.lock()
            let current = pending[record.code]
            state.unlock()
            guard let current else { continue }
            try? save(current)
        }
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
