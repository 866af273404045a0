import Foundation

extension FileRunArchive {
    /// The saved run, nil when there is none. A file that no longer reads back, or whose trainer no longer
    /// restores, is moved to `corrupt/` and reported (thrown), never silently treated as absent.
    public func load(_ code: RunCode) throws(StorageError) -> RunRecord? {
        // Under the run's lock, so a removal or save under way finishes first: a file removed between the index and
        // the read answered "cannot open" (503) instead of "no such run".
        let codeLock = lock(for: code)
        codeLock.lock()
        defer { codeLock.unlock() }
        state.lock()
        let unsaved = pending[code]
        let isIndexed = index[code] != nil
        state.unlock()
        if let unsaved { return unsaved }
        guard isIndexed else { return nil }
        let name = DataDirectory.fileName(code)
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(path(name))
        } catch {
            throw .failed(error.description)
        }
        do {
            let record = try RunRecordCodec.decode(bytes)
            try record.checkRestorable()
            return record
        } catch {
            quarantine(name, reason: error.description)
            state.lock()
            index[code] = nil
            state.unlock()
            throw .unreadable(code: code, reason: error.description)
        }
    }

    /// Deletes the saved run (its owner asked, or retention): the file and any unsaved copy. A failure is thrown, not
    /// logged: the caller retries (`RunSaver`) or logs it (retention).
    public func remove(_ code: RunCode) throws(StorageError) {
        let codeLock = lock(for: code)
        codeLock.lock()
        defer { codeLock.unlock() }
        state.lock()
        pending[code] = nil
        failures[code] = nil
        state.unlock()
        if let conflict = ensureLocked() { throw .failed(conflict) }
        do {
            try fileSystem.remove(path(DataDirectory.fileName(code)))
            state.lock()
            index[code] = nil
            state.unlock()
            try? fileSystem.syncDirectory(directory)
        } catch {
            throw .failed(error.description)
        }
    }

    /// Every run the archive holds (saved or waiting for a retry), for restore at start.
    public func codes() -> [RunCode] {
        state.lock()
        defer { state.unlock() }
        return Set(index.keys).union(pending.keys).sorted { $0.text < $1.text }
    }

    /// Bytes of saved files (what retention counts).
    public var savedBytes: Int {
        state.lock()
        defer { state.unlock() }
        return index.values.reduce(0) { $0 + $1.bytes }
    }

    /// Moves `name` to `corrupt/` with a `.why.txt` beside it, logs it, and remembers it for `problems`. A server
    /// that does not hold the directory's lock leaves the file where it is: another server may own it.
    func quarantine(_ name: String, reason: String) {
        let isOwner = holdsLock
        let movedTo = isOwner ? moveAside(name, reason: reason) : nil
        let outcome = movedTo.map { "; moved to \($0)" }
            ?? (isOwner ? "" : "; left in place (this server does not hold the directory's lock)")
        logger.error("unreadable file \(path(name)): \(reason)\(outcome)")
        state.lock()
        quarantinedFiles.append(QuarantinedFile(name: name, reason: reason, movedTo: movedTo))
        state.unlock()
    }

    /// Renames `name` into `corrupt/` (a free name there) with its reason beside it: where it went, nil when it
    /// could not be moved (logged).
    private func moveAside(_ name: String, reason: String) -> String? {
        do {
            let folder = path(DataDirectory.corruptFolder)
            try fileSystem.createDirectory(folder)
            let existing = Set(try fileSystem.list(folder).map(\.name))
            var target = name
            var n = 1
            while existing.contains(target) {
                target = "\(name).\(n)"
                n += 1
            }
            try fileSystem.rename(path(name), to: folder + "/" + target)
            try? writeReason(reason, to: folder + "/" + target + ".why.txt")
            try? fileSystem.syncDirectory(directory)
            return DataDirectory.corruptFolder + "/" + target
        } catch {
            logger.error("cannot move unreadable file \(path(name)) aside: \(error)")
            return nil
        }
    }

    private func writeReason(_ reason: String, to file: String) throws(FileSystemError) {
        let fd = try fileSystem.createFile(file)
        defer { try? fileSystem.close(fd, path: file) }
        try fileSystem.write(fd, Array("\(reason)\n".utf8), path: file)
    }
}
