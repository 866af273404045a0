/// Unsent output counted once per allocation, not once per connection: a cached file's body or a broadcast
/// frame queued on 500 connections is one array storage shared by all of them (copy-on-write), so charging
/// each connection its full size made the memory budget shed healthy clients while the server held almost
/// nothing (60 clients × 8 pipelined GETs of a cached 1 MB file counted 234 MB at 31 MiB resident).
///
/// Every `WriteBuffer` of the loop retains the arrays it queues here and releases them when they are sent or
/// dropped; the first retain of a storage adds its capacity to the budget, the last release takes it off. Keys
/// are storage addresses, which stay valid while any holder keeps the array alive. I/O thread only.
final class OutputStorageLedger {
    private var holders: [UnsafeRawPointer: Int] = [:]
    private let budget: MemoryBudget?
    /// Capacity of the distinct storages held now.
    private(set) var totalBytes = 0
    /// Releases of storage that was not held (always 0 unless `WriteBuffer` has a bug).
    private(set) var unmatchedReleases = 0

    /// A ledger that moves `budget` (nil: counts only, for tests of a lone buffer).
    init(budget: MemoryBudget?) { self.budget = budget }

    /// `bytes` (not empty) is queued by one more holder.
    func retain(_ bytes: [UInt8]) {
        let key = Self.key(bytes)
        if let count = holders[key] {
            holders[key] = count + 1
        } else {
            holders[key] = 1
            totalBytes += bytes.capacity
            budget?.adjust(by: bytes.capacity)
        }
    }

    /// One holder of `bytes` sent or dropped it. A release without a retain would be a bug in `WriteBuffer`; it is
    /// counted (`unmatchedReleases`, which the tests hold at 0) rather than trapped, since a wrong figure in the
    /// budget is a smaller harm than a server that stops.
    func release(_ bytes: [UInt8]) {
        let key = Self.key(bytes)
        guard let count = holders[key] else { unmatchedReleases += 1; return }
        if count > 1 {
            holders[key] = count - 1
        } else {
            holders[key] = nil
            totalBytes -= bytes.capacity
            budget?.adjust(by: -bytes.capacity)
        }
    }

    /// The part of `bytes`'s capacity one holder answers for (its capacity divided among its holders).
    func share(of bytes: [UInt8]) -> Int {
        bytes.capacity / max(1, holders[Self.key(bytes)] ?? 1)
    }

    /// Distinct storages held (for tests).
    var storageCount: Int { holders.count }

    private static func key(_ bytes: [UInt8]) -> UnsafeRawPointer {
        bytes.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
    }
}
