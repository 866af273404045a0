import Foundation
import GANEngine
import Logging
import WebServer

/// Every run of a lab by code: creates them (fresh code and token), finds them (loading an archived one
/// transparently), forks, imports, deletes and evicts them, and restores the archive at start.
///
/// Locking: one lock guards the table; it is never held while waiting for a run's worker, so a worker that
/// forks (and so calls in here) can never deadlock with a request that waits for it.
public final class RunRegistry: @unchecked Sendable {
    private let lock = NSLockBox()
    private var runs: [RunCode: Run] = [:]
    private var reserved: Set<RunCode> = []
    /// Each live (or reserved) run's estimated bytes (`RunFootprint`).
    private var footprints: [RunCode: Int] = [:]
    /// What every run shares.
    let environment: RunEnvironment
    /// Where runs are saved.
    public var archive: RunArchive { environment.saver.archive }
    /// New runs per client address (create, import, fork).
    private let newRunLimiter: AddressRateLimiter

    /// A registry for the runs of one lab.
    init(environment: RunEnvironment) {
        self.environment = environment
        let c = environment.configuration
        newRunLimiter = AddressRateLimiter(rate: c.createsPerMinute / 60, burst: c.createBurst)
    }

    /// Counts a new run (create, import or fork) against its client address's budget; `rate-limited` beyond it.
    /// Called before any work, so a refused request costs nothing.
    public func admitNewRun(from address: PeerAddress?) throws(LabProtocolError) {
        let c = environment.configuration
        guard newRunLimiter.allow(address, now: environment.clock.now()) else {
            throw .rateLimited("At most \(Int(c.createBurst)) new runs at once and \(Int(c.createsPerMinute)) a minute from one "
                + "address (creates, imports and forks together): wait a moment.")
        }
    }

    /// Runs in memory.
    public var count: Int { lock.withLock { runs.count } }

    /// Whether the run is in memory (an archive's retention must not delete it).
    public func isLive(_ code: RunCode) -> Bool { lock.withLock { runs[code] != nil || reserved.contains(code) } }

    /// Codes of the runs in memory, sorted.
    public var codes: [RunCode] { lock.withLock { runs.keys.sorted { $0.text < $1.text } } }

    /// The runs in memory.
    var allRuns: [Run] { lock.withLock { Array(runs.values) } }

    /// A new run from `blueprint`; its token is returned once and only its hash kept.
    public func create(_ blueprint: RunBlueprint) throws(LabProtocolError) -> (run: Run, token: RunToken) {
        let token = RunToken.generate()
        let bytes = try footprint(of: blueprint.makeConfiguration())
        let code = try reserveCode(bytes: bytes, mayEvict: true)
        defer { release(code) }
        let run = try Run(code: code, tokenHash: token.hash, blueprint: blueprint, environment: environment)
        insert(run)
        return (run, token)
    }

    /// A new run (new code and token) continuing `record` exactly: `POST /api/runs/import`.
    public func adopt(_ record: RunRecord) throws(LabProtocolError) -> (run: Run, token: RunToken) {
        try fork(record, forkedFrom: record.forkedFrom, playState: record.playState, mayEvict: true)
    }

    /// A fork of `source` from its `record`, paused, with its own code and token (called on the source's worker,
    /// which must not wait for other runs' workers: a full server answers `busy` without evicting).
    func fork(_ record: RunRecord, from source: Run) throws(LabProtocolError) -> (run: Run, token: RunToken) {
        try fork(record, forkedFrom: source.code, playState: record.playState == .failed ? .failed : .paused, mayEvict: false)
    }

    private func fork(_ record: RunRecord, forkedFrom: RunCode?, playState: RunRecord.PlayState, mayEvict: Bool)
        throws(LabProtocolError) -> (run: Run, token: RunToken) {
        let token = RunToken.generate()
        let code = try reserveCode(bytes: try footprint(of: record.trainer.configuration), mayEvict: mayEvict)
        defer { release(code) }
        var copy = record
        copy.code = code
        copy.tokenHash = token.hash
        copy.playState = playState
        copy.forkedFrom = forkedFrom
        copy.createdAt = environment.wallClock()
        copy.updatedAt = copy.createdAt
        let run = try Run(restoring: copy, environment: environment)
        run.machine.markNew(now: environment.clock.now())
        insert(run)
        return (run, token)
    }

    /// The run with `code`, from memory or the archive; `not-found` when there is none.
    public func run(_ code: RunCode) throws(LabProtocolError) -> Run {
        do {
            return try load(code)
        } catch .busy(let message) {
            // Full: make room as a create does (an HTTP or socket thread, never a run's worker, looks runs up).
            guard evictLongestIdle() else { throw .busy(message) }
            return try load(code)
        }
    }

    private func load(_ code: RunCode) throws(LabProtocolError) -> Run {
        if let run = lock.withLock({ runs[code] }) { return run }
        // Loading under the lock keeps two lookups of one code from building two runs.
        let result: Result<Run, LabProtocolError> = lock.withLock {
            if let run = runs[code] { return .success(run) }
            // Deleted, its saved copy perhaps not removed yet: gone for good, never loaded back.
            if environment.saver.isDeleted(code) { return .failure(.notFound(code.text)) }
            let record: RunRecord?
            do {
                record = try archive.load(code)
            } catch StorageError.unreadable(_, let reason) {
                // Moved to corrupt/ and listed in /healthz: trying again will not help.
                environment.logger.error("cannot load run \(code): \(reason)")
                return .failure(.unavailable("Run \(code)'s saved file cannot be read (\(reason)); it was moved aside for the operator."))
            } catch {
                environment.logger.error("cannot load run \(code): \(error)")
                return .failure(.unavailable("Run \(code) cannot be loaded right now; try again later."))
            }
            guard let record else { return .failure(.notFound(code.text)) }
            guard runs.count + reserved.count < environment.configuration.maxRuns else {
                return .failure(.busy("The server holds its maximum of \(environment.configuration.maxRuns) runs; try again later."))
            }
            let bytes = RunFootprint.bytes(record.trainer.configuration)
            guard footprints.values.reduce(0, +) + bytes <= environment.configuration.memoryBudgetBytes else {
                return .failure(.busy("The server's memory for runs is full; try again later."))
            }
            do {
                let run = try Run(restoring: record, environment: environment)
                runs[code] = run
                footprints[code] = bytes
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

    /// Deletes the run if `token` controls it: from this moment its code is not found (a tombstone, `RunSaver`), its
    /// viewers are closed with 4000, and its saved copy is removed once the run can save no more.
    ///
    /// Why the order: the copy is removed in the background, so a lookup that reached the archive first brought the
    /// run back (served, controlled by the old token, never saved again); and a save queued after the removal would
    /// write the file back. So the tombstone comes first, under the lock that lookups load under, and the removal
    /// is queued by the run itself after it has closed (`Run.handle(.delete)`).
    public func delete(_ code: RunCode, token: String?) throws(LabProtocolError) {
        let run = try self.run(code)
        guard let token, run.accepts(token: token) else { throw .badToken }
        lock.withLock {
            environment.saver.markDeleted(code)
            if runs[code] === run {
                runs[code] = nil
                footprints[code] = nil
            }
        }
        do {
            try run.post(.delete)
        } catch {
            // It left memory a moment ago (evicted, so saved and closed): nothing of it saves any more.
            environment.saver.removeDeleted(code)
        }
    }

    /// A consistent record of the run, taken on its worker (export); waits at most `timeout` seconds.
    public func record(of code: RunCode, timeout: Double = 2) throws(LabProtocolError) -> RunRecord {
        let run = try self.run(code)
        let box = OneShotBox<RunRecord>()
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
            footprints[run.code] = nil
            return true
        }
        if evicted {
            environment.scheduler.remove(run)
            let idle = Int(environment.clock.now() - run.status.lastActivity)
            environment.logger.info("run \(run.code) saved and evicted after \(idle) s without viewers or commands")
        }
        return evicted
    }

    /// Makes room when the server is full: asks the longest-idle runs nobody watches (idle at least
    /// `evictableAfter`) to save and leave memory, through the same path as idle eviction, waiting for each at
    /// most `timeout` seconds. True when one left.
    private func evictLongestIdle(timeout: Double = 2) -> Bool {
        let now = environment.clock.now(), minimumIdle = environment.configuration.evictableAfter
        let candidates = lock.withLock { Array(runs.values) }
            .map { (run: $0, status: $0.status) }
            .filter { $0.status.viewers == 0 && now - $0.status.lastActivity >= minimumIdle }
            .sorted { $0.status.lastActivity < $1.status.lastActivity }
        for candidate in candidates.prefix(3) {
            let box = OneShotBox<Bool>()
            do {
                try candidate.run.post(.evict { box.put($0) })
            } catch {
                continue  // already gone (deleted or evicted): its room is free
            }
            if box.take(timeout: timeout) == true { return true }
        }
        return false
    }

    private func insert(_ run: Run) {
        lock.withLock { runs[run.code] = run }
        environment.scheduler.add(run)
    }

    private func release(_ code: RunCode) {
        lock.withLock {
            reserved.remove(code)
            if runs[code] == nil { footprints[code] = nil }
        }
    }

    /// A live run's settings change to `configuration` (a `configure`): refused when too big for one run or for
    /// the server; on success the run's share of the budget is updated and its previous share returned, for
    /// `restoreFootprint` if the change then fails.
    @discardableResult
    func resize(_ code: RunCode, to configuration: GANConfiguration) throws(LabProtocolError) -> Int {
        let bytes = try footprint(of: configuration)
        let previous: Int? = lock.withLock {
            let current = footprints[code] ?? 0
            let others = footprints.values.reduce(0, +) - current
            guard others + bytes <= environment.configuration.memoryBudgetBytes else { return nil }
            footprints[code] = bytes
            return current
        }
        guard let previous else { throw .busy("The server's memory for runs is full: these settings do not fit now.") }
        return previous
    }

    /// Puts back a run's share of the budget after a change that `resize` allowed failed to apply.
    func restoreFootprint(_ code: RunCode, bytes: Int) {
        lock.withLock { if runs[code] != nil { footprints[code] = bytes } }
    }

    /// A fresh code, unused in memory and in the archive, held (with its memory) until the run is inserted. When
    /// the server is full and `mayEvict`, idle runs are evicted first (`evictLongestIdle`).
    private func reserveCode(bytes: Int, mayEvict: Bool) throws(LabProtocolError) -> RunCode {
        let maxRuns = environment.configuration.maxRuns
        let budget = environment.configuration.memoryBudgetBytes
        var evictions = 0
        for _ in 0..<64 {
            let code = RunCode.random(prefix: environment.configuration.codePrefix)
            let taken = (try? archive.load(code)) ?? nil
            let ok: Bool? = lock.withLock {
                guard runs.count + reserved.count < maxRuns else { return nil }
                guard runs[code] == nil, !reserved.contains(code), taken == nil, !environment.saver.isDeleted(code) else { return false }
                guard footprints.values.reduce(0, +) + bytes <= budget else { return nil }
                reserved.insert(code)
                footprints[code] = bytes
                return true
            }
            guard let ok else {
                // Full: an idle run nobody watches goes to the archive (it comes back when opened), then try again.
                if mayEvict && evictions < 4 && evictLongestIdle() { evictions += 1; continue }
                throw .busy("The server holds as many runs as it can (\(maxRuns) at most, or its memory is full) and none has been "
                    + "idle long enough to make room; try again later.")
            }
            if ok { return code }
        }
        throw .unavailable("No free run code was found; try again.")
    }
}
