import Foundation
import Logging

/// Every run of a lab by code: creates them (fresh code and token), finds them (loading an archived one
/// transparently), forks, imports, deletes and evicts them, and restores the archive at start.
///
/// Locking: one lock guards the table; it is never held while waiting for a run's worker, so a worker that
/// forks (and so calls in here) can never deadlock with a request that waits for it.
public final class RunRegistry: @unchecked Sendable {
    private let lock = NSLockBox()
    private var runs: [RunCode: Run] = [:]
    private var reserved: Set<RunCode> = []
    let environment: RunEnvironment
    /// Where runs are saved.
    public var archive: RunArchive { environment.saver.archive }

    init(environment: RunEnvironment) {
        self.environment = environment
    }

    /// Runs in memory.
    public var count: Int { lock.withLock { runs.count } }

    /// Codes of the runs in memory, sorted.
    public var codes: [RunCode] { lock.withLock { runs.keys.sorted { $0.text < $1.text } } }

    /// The runs in memory.
    var allRuns: [Run] { lock.withLock { Array(runs.values) } }

    /// A new run from `blueprint`; its token is returned once and only its hash kept.
    public func create(_ blueprint: RunBlueprint) throws(LabProtocolError) -> (run: Run, token: RunToken) {
        let token = RunToken.generate()
        let code = try reserveCode()
        defer { _ = lock.withLock { reserved.remove(code) } }
        let run = try Run(code: code, tokenHash: token.hash, blueprint: blueprint, environment: environment)
        insert(run)
        return (run, token)
    }

    /// A new run (new code and token) continuing `record` exactly: `POST /api/runs/import`.
    public func adopt(_ record: RunRecord) throws(LabProtocolError) -> (run: Run, token: RunToken) {
        try fork(record, forkedFrom: record.forkedFrom, playState: record.playState)
    }

    /// A fork of `source` from its `record`, paused, with its own code and token (called on the source's worker).
    func fork(_ record: RunRecord, from source: Run) throws(LabProtocolError) -> (run: Run, token: RunToken) {
        try fork(record, forkedFrom: source.code, playState: record.playState == .failed ? .failed : .paused)
    }

    private func fork(_ record: RunRecord, forkedFrom: RunCode?, playState: RunRecord.PlayState) throws(LabProtocolError)
        -> (run: Run, token: RunToken) {
        let token = RunToken.generate()
        let code = try reserveCode()
        defer { _ = lock.withLock { reserved.remove(code) } }
        var copy = record
        copy.code = code
        copy.tokenHash = token.hash
        copy.playState = playState
        copy.forkedFrom = forkedFrom
        copy.createdAt = environment.wallClock()
        copy.updatedAt = copy.createdAt
        let run = try Run(restoring: copy, environment: environment)
        run.machine.markUnsaved(now: environment.clock.now())
        insert(run)
        return (run, token)
    }

    /// The run with `code`, from memory or the archive; `not-found` when there is none.
    public func run(_ code: RunCode) throws(LabProtocolError) -> Run {
        if let run = lock.withLock({ runs[code] }) { return run }
        // Loading under the lock keeps two lookups of one code from building two runs.
        let result: Result<Run, LabProtocolError> = lock.withLock {
            if let run = runs[code] { return .success(run) }
            let record: RunRecord?
            do {
                record = try archive.load(code)
            } catch {
                environment.logger.error("cannot load run \(code): \(error)")
                return .failure(.unavailable("Run \(code) cannot be loaded right now; try again later."))
            }
            guard let record else { return .failure(.notFound(code.text)) }
            guard runs.count + reserved.count < environment.configuration.maxRuns else {
                return .failure(.busy("The server holds its maximum of \(environment.configuration.maxRuns) runs; try again later."))
            }
            do {
                let run = try Run(restoring: record, environment: environment)
                runs[code] = run
                return .success(run)
            } catch {
                environment.logger.error("cannot restore run \(code): \(error)")
                return .failure(.unavailable("Run \(code) cannot be restored: \(error)"))
            }
        }
        let run = try result.get()
        environment.scheduler.add(run)
        return run
    }

    /// Deletes the run if `token` controls it: its viewers are closed with 4000 and the archive forgets it.
    public func delete(_ code: RunCode, token: String?) throws(LabProtocolError) {
        let run = try self.run(code)
        guard let token, run.accepts(token: token) else { throw .badToken }
        lock.withLock { if runs[code] === run { runs[code] = nil } }
        environment.saver.delete(code)
        try? run.post(.delete)
    }

    /// A consistent record of the run, taken on its worker (export); waits at most `timeout` seconds.
    public func record(of code: RunCode, timeout: Double = 2) throws(LabProtocolError) -> RunRecord {
        let run = try self.run(code)
        let box = RecordBox()
        do {
            try run.post(.record { box.put($0) })
        } catch {
            throw .notFound(code.text)
        }
        guard let record = box.take(timeout: timeout) else { throw .unavailable("Run \(code) is busy; try again.") }
        return record
    }

    /// Restores every archived run (up to `maxRuns`) at start; returns the codes that failed, with why.
    @discardableResult
    func restoreArchived() -> [(RunCode, String)] {
        let codes: [RunCode]
        do {
            codes = try archive.codes()
        } catch {
            environment.logger.error("cannot list archived runs: \(error)")
            return []
        }
        var failures: [(RunCode, String)] = []
        for code in codes {
            guard count < environment.configuration.maxRuns else { break }
            do {
                _ = try run(code)
            } catch {
                failures.append((code, error.message))
            }
        }
        return failures
    }

    /// Drops `run` from memory if nothing waits in its inbox (called by its worker after saving it).
    func evict(_ run: Run) -> Bool {
        let evicted = lock.withLock {
            guard runs[run.code] === run, run.inbox.closeIfEmpty() else { return false }
            runs[run.code] = nil
            return true
        }
        if evicted {
            environment.scheduler.remove(run)
            environment.logger.info("run \(run.code) evicted after \(Int(environment.configuration.idleRunLifetime)) s idle")
        }
        return evicted
    }

    private func insert(_ run: Run) {
        lock.withLock { runs[run.code] = run }
        environment.scheduler.add(run)
    }

    /// A fresh code, unused in memory and in the archive, held until the run is inserted.
    private func reserveCode() throws(LabProtocolError) -> RunCode {
        let maxRuns = environment.configuration.maxRuns
        for _ in 0..<64 {
            let code = RunCode.random(prefix: environment.configuration.codePrefix)
            let taken = (try? archive.load(code)) ?? nil
            let ok: Bool? = lock.withLock {
                guard runs.count + reserved.count < maxRuns else { return nil }
                guard runs[code] == nil, !reserved.contains(code), taken == nil else { return false }
                reserved.insert(code)
                return true
            }
            guard let ok else { throw .busy("The server holds its maximum of \(maxRuns) runs; try again later.") }
            if ok { return code }
        }
        throw .unavailable("No free run code was found; try again.")
    }
}

/// A one-shot mailbox for a record from a run's worker.
final class RecordBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: RunRecord?

    func put(_ record: RunRecord) {
        condition.lock()
        value = record
        condition.broadcast()
        condition.unlock()
    }

    func take(timeout: Double) -> RunRecord? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while value == nil { if !condition.wait(until: deadline) { break } }
        return value
    }
}
