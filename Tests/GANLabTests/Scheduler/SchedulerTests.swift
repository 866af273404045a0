import Foundation
import Testing
import GANLab

/// A task that records its turns and spends each slice until its end (like a run at "max" speed).
final class FakeTask: ScheduledTask, @unchecked Sendable {
    let name: String
    let journal: Journal
    let clock: LabClock
    private let lock = NSLock()
    private var wakes: [SchedulerWake]
    private(set) var turns = 0

    /// How the next turn is asked for, from the time of this one (nil: from `wakes`).
    private let wakeAt: ((Double) -> SchedulerWake)?

    init(_ name: String, journal: Journal, clock: LabClock = MonotonicClock(), wakes: [SchedulerWake],
         wakeAt: ((Double) -> SchedulerWake)? = nil) {
        self.name = name
        self.journal = journal
        self.clock = clock
        self.wakes = wakes
        self.wakeAt = wakeAt
    }

    func perform(_ turn: SchedulerTurn, now: Double) -> SchedulerWake {
        journal.append(name, turn)
        lock.lock()
        turns += 1
        let wake = wakeAt?(now) ?? (wakes.count > 1 ? wakes.removeFirst() : wakes[0])
        lock.unlock()
        if case .slice(let end) = turn { while clock.now() < end {} }
        return wake
    }

    var turnCount: Int { lock.lock(); defer { lock.unlock() }; return turns }
}

/// The order in which turns started.
final class Journal: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(String, SchedulerTurn)] = []
    func append(_ name: String, _ turn: SchedulerTurn) { lock.lock(); entries.append((name, turn)); lock.unlock() }
    var names: [String] { lock.lock(); defer { lock.unlock() }; return entries.map(\.0) }
}

/// Polls (no fixed sleeps) until `condition` holds or `timeout` passes.
func eventually(timeout: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while !condition() {
        if Date() > deadline { return false }
        usleep(1_000)
    }
    return true
}

@Suite(.serialized) struct SchedulerTests {
    static let busy = SchedulerWake(wantsSlices: true, dueAt: nil)

    /// A started scheduler running `count` busy tasks, and the journal of their turns.
    private func busyScheduler(workers: Int, slice: Double, count: Int) -> (Scheduler, Journal, [FakeTask]) {
        let scheduler = Scheduler(workers: workers, timeSlice: slice, dueTurnBudget: slice / 4, clock: MonotonicClock())
        let journal = Journal()
        let tasks = (0..<count).map { FakeTask("t\($0)", journal: journal, wakes: [Self.busy]) }
        tasks.forEach(scheduler.add)
        scheduler.start()
        return (scheduler, journal, tasks)
    }

    @Test func busyTasks_shareOneWorkerRoundRobin() {
        let (scheduler, journal, tasks) = busyScheduler(workers: 1, slice: 0.0005, count: 4)
        #expect(eventually { tasks.map(\.turnCount).reduce(0, +) >= 400 })
        scheduler.stop(timeout: 5)
        let counts = tasks.map(\.turnCount)
        #expect(counts.max()! - counts.min()! <= 2, "each a quarter: \(counts)")
        let slices = journal.names.dropFirst(8)  // after the first due turns
        for (a, b) in zip(slices, slices.dropFirst()) { #expect(a != b, "no task gets two slices in a row while others wait") }
    }

    @Test func wokenTask_runsAsSoonAsTheCurrentSliceEnds() {
        let scheduler = Scheduler(workers: 1, timeSlice: 0.002, dueTurnBudget: 0.0005, clock: MonotonicClock())
        let journal = Journal()
        let busy = (0..<3).map { FakeTask("busy\($0)", journal: journal, wakes: [Self.busy]) }
        let sleeper = FakeTask("sleeper", journal: journal, wakes: [.idle])
        busy.forEach(scheduler.add)
        scheduler.add(sleeper)
        scheduler.start()
        defer { scheduler.stop(timeout: 5) }
        #expect(eventually { sleeper.turnCount == 1 && busy.allSatisfy { $0.turnCount >= 3 } })
        let othersBefore = busy.map(\.turnCount).reduce(0, +)
        #expect(eventually { busy.map(\.turnCount).reduce(0, +) >= othersBefore + 20 } && sleeper.turnCount == 1,
                "an idle task costs nothing: it gets no turns until woken")
        let before = journal.names.count
        scheduler.wake(sleeper)
        #expect(eventually { sleeper.turnCount == 2 })
        let since = journal.names[before...]
        let waited = since.prefix { $0 != "sleeper" }.count
        #expect(waited <= 1, "at most the slice already started ran first: \(Array(since.prefix(5)))")
    }

    @Test func wokenTask_goesBeforeTimedTurnsThatAreLate() throws {
        let scheduler = Scheduler(workers: 1, timeSlice: 0.002, dueTurnBudget: 0.0005, clock: MonotonicClock())
        let journal = Journal()
        // Every turn asks for the next one 50 ms in the past, as each run's frames do on an overloaded machine.
        let late = { (now: Double) in SchedulerWake(wantsSlices: false, dueAt: now - 0.05) }
        let frames = (0..<8).map { FakeTask("frames\($0)", journal: journal, wakes: [.idle], wakeAt: late) }
        let commanded = FakeTask("commanded", journal: journal, wakes: [.idle])
        frames.forEach(scheduler.add)
        scheduler.add(commanded)
        scheduler.start()
        defer { scheduler.stop(timeout: 5) }
        #expect(eventually { commanded.turnCount == 1 && frames.allSatisfy { $0.turnCount >= 3 } })
        let before = journal.names.count
        scheduler.wake(commanded)
        let woken = journal.names.count  // turns begun before this may have been picked before the wake
        #expect(eventually { commanded.turnCount == 2 })
        let names = journal.names
        let turn = try #require(names[before...].firstIndex(of: "commanded"))
        #expect(turn <= woken + 1, "at most the turn already started ran first, not every late frame: \(Array(names[woken...].prefix(10)))")
    }

    @Test func dueTasks_runInOrderOfTheirDueTime() {
        let clock = MonotonicClock()
        let scheduler = Scheduler(workers: 1, timeSlice: 0.002, dueTurnBudget: 0.0005, clock: clock)
        let journal = Journal()
        let start = clock.now()
        let late = FakeTask("late", journal: journal, wakes: [SchedulerWake(wantsSlices: false, dueAt: start + 0.2), .idle])
        let early = FakeTask("early", journal: journal, wakes: [SchedulerWake(wantsSlices: false, dueAt: start + 0.1), .idle])
        scheduler.add(late)
        scheduler.add(early)
        scheduler.start()
        defer { scheduler.stop(timeout: 5) }
        #expect(eventually { late.turnCount == 2 && early.turnCount == 2 })
        #expect(Array(journal.names.suffix(2)) == ["early", "late"])
        #expect(clock.now() - start >= 0.2, "not before it was due")
    }

    @Test func stop_waitsForTheCurrentTurnsOnly_andRemoveForgetsATask() {
        let (scheduler, _, tasks) = busyScheduler(workers: 2, slice: 0.001, count: 3)
        #expect(eventually { tasks.allSatisfy { $0.turnCount >= 5 } })
        scheduler.remove(tasks[0])
        let removedAt = tasks[0].turnCount
        #expect(eventually { tasks[1].turnCount >= removedAt + 20 })
        #expect(tasks[0].turnCount <= removedAt + 1, "a removed task gets no more turns")
        let started = Date()
        #expect(scheduler.stop(timeout: 5))
        #expect(Date().timeIntervalSince(started) < 1)
    }
}
