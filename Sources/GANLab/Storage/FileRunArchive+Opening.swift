import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileRunArchive {
    /// Start-up: create and lock the directory, then judge every regular file in it (docs/run-format.md §2).
    func openDirectory() throws(StorageError) {
        do {
            try fileSystem.createDirectory(directory)
        } catch {
            directoryProblem = "data directory unusable: \(error) (runs are kept in memory; retrying)"
            logger.error("\(directoryProblem!)")
            return
        }
        do throws(FileSystemError) {
            lockDescriptor = try fileSystem.lock(path(DataDirectory.lockName))
        } catch where error.code == EWOULDBLOCK || error.code == EAGAIN {
            throw .directoryInUse(directory)
        } catch {
            // A read-only directory can still be read; its saves fail (and are retried) like any others.
            logger.warning("data directory \(directory) cannot be locked (\(error)); reading it anyway")
        }
        let files: [(name: String, isRegularFile: Bool)]
        do {
            files = try fileSystem.list(directory)
        } catch {
            directoryProblem = "data directory unusable: \(error) (runs are kept in memory; retrying)"
            logger.error("\(directoryProblem!)")
            return
        }
        var temporaries: [RunCode: String] = [:]
        for file in files where file.isRegularFile {
            switch DataDirectory.classify(file.name) {
            case .lock, .probe: continue
            case .temporary(let code): temporaries[code] = file.name
            case .run(let code): admit(file.name, as: code)
            case .other: quarantine(file.name, reason: "not a saved run's name (CODE.\(RunFormat.fileExtension))")
            }
        }
        if holdsLock {
            for (code, name) in temporaries.sorted(by: { $0.key.text < $1.key.text }) { recover(name, of: code) }
        } else if !temporaries.isEmpty {
            logger.warning("data directory \(directory): \(temporaries.count) interrupted saves left as they are (this server does not hold the directory's lock)")
        }
        logger.info("data directory \(directory): \(index.count) saved runs")
        if let problem = probeWrite() {
            directoryProblem = problem
            logger.error("\(problem)")
        }
    }

    /// Writes, syncs and removes a small file: nil when the directory takes writes, else the problem to report. So a
    /// read-only or full directory shows in `/healthz` from the start, not only after the first save fails.
    func probeWrite() -> String? {
        let probe = path(DataDirectory.probeName)
        do throws(FileSystemError) {
            let fd = try fileSystem.createFile(probe)
            do throws(FileSystemError) {
                try fileSystem.write(fd, [0x0A], path: probe)
                try fileSystem.sync(fd, path: probe)
            } catch {
                try? fileSystem.close(fd, path: probe)
                try? fileSystem.remove(probe)
                throw error
            }
            try fileSystem.close(fd, path: probe)
            try fileSystem.remove(probe)
            return nil
        } catch {
            return "data directory \(directory) does not take writes: \(error) (runs are kept in memory; retrying)"
        }
    }

    /// Lists a saved file after reading it back whole and rebuilding its trainer; anything the lab could not
    /// continue is moved aside.
    @discardableResult
    private func admit(_ name: String, as code: RunCode) -> Bool {
        do {
            let bytes = try fileSystem.readFile(path(name))
            let record = try RunRecordCodec.decode(bytes)
            guard record.code == code else {
                quarantine(name, reason: "it holds run \(record.code), not \(code)")
                return false
            }
            try record.checkRestorable()
            index[code] = Entry(bytes: bytes.count, updatedAt: record.updatedAt)
            return true
        } catch {
            quarantine(name, reason: "\(error)")
            return false
        }
    }

    /// A save interrupted by a crash: a complete temporary file newer than the saved one finishes its rename
    /// (the crash came between fsync and rename); anything else is deleted, and the log says which it was.
    private func recover(_ name: String, of code: RunCode) {
        let target = DataDirectory.fileName(code)
        let leftover: String
        do {
            let bytes = try fileSystem.readFile(path(name))
            let record = try RunRecordCodec.decode(bytes)
            guard record.code == code else { throw LeftoverSave.otherRun(record.code) }
            try record.checkRestorable()
            if let saved = index[code], saved.updatedAt >= record.updatedAt {
                leftover = "a complete save that is not newer than \(target) (updated \(record.updatedAt), the saved file \(saved.updatedAt))"
            } else {
                do {
                    try fileSystem.rename(path(name), to: path(target))
                    try? fileSystem.syncDirectory(directory)
                    index[code] = Entry(bytes: bytes.count, updatedAt: record.updatedAt)
                    logger.notice("run \(code): finished a save interrupted by a crash (\(name))")
                    return
                } catch {
                    logger.error("run \(code): cannot finish an interrupted save: \(error)")
                    leftover = "a complete save that could not be renamed"
                }
            }
        } catch let error as RunFormatError where error.isTruncated {
            leftover = "an incomplete save (\(error))"
        } catch {
            leftover = "a save that cannot be used (\(error))"
        }
        try? fileSystem.remove(path(name))
        let kept = index[code] != nil ? "the saved file \(target) is kept" : "there is no saved file of this run"
        logger.notice("run \(code): deleted \(leftover): \(name); \(kept)")
    }
}

/// Why a leftover temporary file is not a save of its run.
private enum LeftoverSave: Error, CustomStringConvertible {
    case otherRun(RunCode)
    var description: String {
        switch self { case .otherRun(let code): return "it holds run \(code)" }
    }
}
