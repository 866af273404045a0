import Foundation

/// A pool of worker threads that train runs, never the I/O thread (docs/architecture.md, "Scheduling").
///
/// Two kinds of turn. *Due* turns come first, earliest due time first: a frame, a command, a paced epoch, a
/// slow-motion sub-step; they are short (`dueTurnBudget`). *Slices* share what is left round-robin among the
/// runs that want continuous training ("max" speed, a fast-forward `step`): each gets `timeSlice` seconds, then
/// goes to the back of the queue, so 64 busy runs each get a 64th and none starves. A run with nothing due costs
/// nothing: it is in no queue until woken. A command wakes its run as due now, so it is handled as soon as a
/// worker finishes its current turn (pause takes effect within one slice), ahead of every timed turn: under load,
/// frames and paced epochs are all late, and a command queued behind them waited for all of them. At most `dueBurst`
/// due turns run between two slices, so frames cannot starve training.
public final class Scheduler: @unchecked Sendable {
    /// Due turns a worker runs in a row while slices wait.
    public static let dueBurst = 16
    /// How far ahead of the clock a woken task is put in the due queue: before any timed turn however late, and
    /// first woken, first served among woken tasks.
    static let wokenLead = 3_600.0

    private struct Entry {
        let task: ScheduledTask
        var isRunning = false
        var isRemoved = false
        var wantsSlices = false
        var isQueued = false
        var dueAt: Double?
        var wokenWhileRunning = false
        var dueVersion = 0
    }

    private let clock: LabClock
    private let workerCount: Int
    private let timeSlice: Double
    private let dueTurnBudget: Double
    private let condition = NSCondition()
    private var entries: [ObjectIdentifier: Entry] = [:]
    private var sliceQueue: [ObjectIdentifier] = []
    private var sliceHead = 0
    private var due = DueHeap()
    private var isStopping = false
    private var runningWorkers = 0
    private var busyWorkers = 0
    private var started = false

    /// A pool of `workers` threads (not started).
    public init(workers: Int, timeSlice: Double, dueTurnBudget: Double, clock: LabClock) {
        precondition(workers >= 1, "a scheduler needs a worker")
        workerCount = workers
        self.timeSlice = timeSlice
        self.dueTurnBudget = dueTurnBudget
        self.clock = clock
    }

    /// Starts the worker threads.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        for index in 0..<workerCount {
            runningWorkers += 1
            let thread = Thread { [self] in work() }
            thread.name = "ganlab-worker-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Adds a task, due at once.
    public func add(_ task: ScheduledTask) {
        condition.lock()
        defer { condition.unlock() }
        let id = ObjectIdentifier(task)
        guard entries[id] == nil else { return }
        entries[id] = Entry(task: task)
        makeDue(id, at: clock.now())
    }

    /// Something arrived for `task` (a command, a viewer): give it a due turn as soon as a worker is free.
    public func wake(_ task: ScheduledTask) {
        condition.lock()
        defer { condition.unlock() }
        let id = ObjectIdentifier(task)
        guard let entry = entries[id], !entry.isRemoved else { return }
        if entry.isRunning {
            entries[id]!.wokenWhileRunning = true
        } else {
            makeDue(id, at: clock.now() - Self.wokenLead)
        }
    }

    /// Forgets `task` (deleted or evicted); a turn in progress finishes first.
    public func remove(_ task: ScheduledTask) {
        condition.lock()
        defer { condition.unlock() }
        let id = ObjectIdentifier(task)
        guard let entry = entries[id] else { return }
        if entry.isRunning { entries[id]!.isRemoved = true } else { entries[id] = nil }
    }

    /// Tasks known (running, queued or sleeping).
    public var taskCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return entries.count
    }

    /// Stops the workers after their current turns; waits at most `timeout` seconds. True when all stopped.
    @discardableResult
    public func stop(timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        isStopping = true
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while runningWorkers > 0 {
            if !condition.wait(until: deadline) { break }
        }
        return runningWorkers == 0
    }

    /// True once `stop` was called: long work should end early.
    public var isStopRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isStopping
    }

    // MARK: workers

    private func work() {
        condition.lock()
        var dueInARow = 0
        while !isStopping {
            let now = clock.now()
            var picked: (ObjectIdentifier, SchedulerTurn)?
            if dueInARow < Self.dueBurst || !hasQueuedSlice, let id = popDue(now: now) {
                picked = (id, .due(until: now + dueTurnBudget))
                dueInARow += 1
            } else if let id = popSlice() {
                picked = (id, .slice(until: now + timeSlice))
                dueInARow = 0
            } else if let id = popDue(now: now) {
                picked = (id, .due(until: now + dueTurnBudget))
            }
            guard let (id, turn) = picked else {
                dueInARow = 0
                let wait = min(0.1, max(0, (due.earliest ?? now + 0.1) - now))
                _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
                continue
            }
            entries[id]!.isRunning = true
            entries[id]!.wokenWhileRunning = false
            let task = entries[id]!.task
            busyWorkers += 1
            condition.unlock()
            let wake = task.perform(turn, now: now)
            condition.lock()
            busyWorkers -= 1
            finish(id, wake: wake)
        }
        runningWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }

    private func finish(_ id: ObjectIdentifier, wake: SchedulerWake) {
        guard var entry = entries[id] else { return }
        entry.isRunning = false
        if entry.isRemoved || wake.isFinished {
            entries[id] = nil
            return
        }
        entry.wantsSlices = wake.wantsSlices
        entries[id] = entry
        if wake.wantsSlices && !entry.isQueued {
            entries[id]!.isQueued = true
            sliceQueue.append(id)
        }
        let now = clock.now()
        if entry.wokenWhileRunning {
            makeDue(id, at: now - Self.wokenLead)
        } else if let at = wake.dueAt {
            makeDue(id, at: at)
        } else {
            entries[id]!.dueAt = nil
            entries[id]!.dueVersion += 1
        }
        if wake.wantsSlices { condition.signal() }
    }

    private func makeDue(_ id: ObjectIdentifier, at time: Double) {
        guard var entry = entries[id] else { return }
        if let current = entry.dueAt, current <= time, !entry.isRunning, entry.dueVersion > 0 { return }
        entry.dueAt = time
        entry.dueVersion += 1
        entries[id] = entry
        due.push(time: time, id: id, version: entry.dueVersion)
        condition.signal()
    }

    private func popDue(now: Double) -> ObjectIdentifier? {
        while let item = due.peek, item.time <= now {
            due.pop()
            // Stale items (superseded, or the task was picked for a slice since) are dropped. A running task has
            // no valid item: its own wake decides when it is due next.
            guard let entry = entries[item.id], entry.dueVersion == item.version, entry.dueAt != nil, !entry.isRunning else { continue }
            entries[item.id]!.dueAt = nil
            entries[item.id]!.dueVersion += 1
            return item.id
        }
        return nil
    }

    private var hasQueuedSlice: Bool { sliceHead < sliceQueue.count }

    private func popSlice() -> ObjectIdentifier? {
        var skipped: [ObjectIdentifier] = []
        defer { sliceQueue.append(contentsOf: skipped) }
        while sliceHead < sliceQueue.count {
            let id = sliceQueue[sliceHead]
            sliceHead += 1
            if sliceHead > 1024 && sliceHead * 2 > sliceQueue.count {
                sliceQueue.removeFirst(sliceHead)
                sliceHead = 0
            }
            guard let entry = entries[id], entry.wantsSlices, !entry.isRemoved else {
                entries[id]?.isQueued = false
                continue
            }
            if entry.isRunning { skipped.append(id); continue }
            entries[id]!.isQueued = false
            entries[id]!.dueAt = nil  // the slice does its due work too
            entries[id]!.dueVersion += 1
            return id
        }
        return nil
    }
}

/// A binary min-heap of due times; stale items (an older `version` of their entry) are skipped when popped.
struct DueHeap {
    /// One due time of one task (`version` identifies which of its due times).
    struct Item {
        var time: Double
        var id: ObjectIdentifier
        var version: Int
    }

    private var items: [Item] = []

    /// The earliest item.
    var peek: Item? { items.first }
    /// The earliest time.
    var earliest: Double? { items.first?.time }
    /// Items held (stale ones included).
    var count: Int { items.count }

    /// Adds an item.
    mutating func push(time: Double, id: ObjectIdentifier, version: Int) {
        items.append(Item(time: time, id: id, version: version))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].time < items[parent].time else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest item.
    @discardableResult
    mutating func pop() -> Item? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count && items[left].time < items[smallest].time { smallest = left }
                if right < items.count && items[right].time < items[smallest].time { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
