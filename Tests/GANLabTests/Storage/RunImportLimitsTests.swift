import Foundation
import Testing
import GANEngine
import GANLab
import LabClient

/// Imports of crafted files (docs/run-format.md §1.2, "Limits"): the checksum is not a signature, so every number in
/// a file is range-checked; a file is refused with a 400 or becomes a run that trains, and the server keeps serving.
@Suite(.serialized) struct RunImportLimitsTests {
    private func makeLab() throws -> TestLab {
        // Thousands of imports from one address: the per-address create limit (tested in its own suite) is lifted.
        try TestLab(beforeStart: { StorageRoutes.install(on: $0, pretrained: PretrainedRuns(directory: nil)) }) {
            $0.createsPerMinute = 60_000
            $0.createBurst = 60_000
        }
    }

    private func importFile(_ t: TestLab, _ file: [UInt8]) throws -> HTTPClient.Response {
        try HTTPClient.request("POST", "/api/runs/import", port: t.port, body: file)
    }

    private func file(_ change: (inout RunRecord) -> Void) -> [UInt8] {
        var record = StorageFixtures.record()
        change(&record)
        return RunRecordCodec.encode(record)
    }

    @Test func theAuditsFiles_get400_andTheServerKeepsServing() throws {
        let t = try makeLab()
        let cases: [(String, [UInt8])] = [
            ("epoch 9223372036854774307 is outside", file { $0.trainer.epoch = Int.max - 1500 }),
            ("epoch 4611686018427387904 is outside", file { $0.trainer.epoch = 1 << 62 }),
            ("epochs per second 1e+300 is outside", file { $0.epochsPerSecond = 1e300 }),
            ("scalar \"lastDiscriminatorLoss\" is missing", file { $0.trainer.scalars["lastDiscriminatorLoss"] = nil }),
            ("tensor \"discriminator.dense0.bias\" is missing", file { $0.trainer.tensors.removeAll { $0.name == "discriminator.dense0.bias" } }),
        ]
        for (message, body) in cases {
            let answer = try importFile(t, body)
            #expect(answer.status == 400, "\(message): \(answer.text)")
            let error = answer.json?["error"] as? [String: Any]
            #expect(error?["kind"] as? String == "bad-file")
            #expect((error?["message"] as? String)?.contains(message) == true, "\(answer.text)")
        }
        #expect(try HTTPClient.request("GET", "/healthz", port: t.port).json?["status"] as? String == "ok")
        _ = try t.create(["playing": true])
        #expect(t.lab.registry.count == 1)
    }

    /// A speed the format allows but this server does not is brought into its range, and the run plays at it.
    @Test func aSpeedAboveTheServersRange_isClampedToIt() throws {
        let t = try makeLab()
        let answer = try importFile(t, file { $0.epochsPerSecond = 5e8 })
        #expect(answer.status == 201, "\(answer.text)")
        let code = try #require(answer.json?["code"] as? String)
        let summary = try #require(try HTTPClient.request("GET", "/api/runs/\(code)", port: t.port).json)
        #expect(summary["speed"] as? Double == LabConfiguration().epochsPerSecondRange.upperBound)
        #expect(ServerProcess.poll { ((try? HTTPClient.request("GET", "/api/runs/\(code)", port: t.port).json?["epoch"] as? Int) ?? 0) > 1234 })
    }

    /// Every field of a valid file, overwritten with the extremes of each width (checksum recomputed): the import answers
    /// 400, or 201 with a run whose worker takes turns (two exports answered) and that deletes cleanly; never a crash.
    @Test func everyFieldAtItsExtremes_isRefusedOrARunThatWorks() throws {
        let sections = StorageFixtures.sections(of: RunRecordCodec.encode(StorageFixtures.record()))
        let i64: [Int64] = [.max, .max - 1500, .min, 1 << 62, -1, 0]
        let f64: [Double] = [1e300, .nan, -.infinity, 5e-324]
        let u32: [UInt32] = [.max, 0x8000_0000, Float.nan.bitPattern, Float.infinity.bitPattern]
        let patterns: [[UInt8]] = i64.map { StorageFixtures.le($0) } + f64.map { StorageFixtures.le($0.bitPattern) }
            + u32.map { StorageFixtures.le($0) } + [[0xFF], [2]]
        // Where the numbers are: all of META, DATA, TRNR, HIST; the counts, names and shapes at the start of TENS; the
        // settings lists' counts and first entries (their values are range-checked by the settings table) and the edits.
        func offsets(_ tag: String, _ count: Int) -> [Int] {
            switch tag {
            case "TENS", "CONF": return Array(0..<min(count, 64))
            case "EDIT": return Array(0..<min(count, 16)) + Array(max(16, count - 64)..<count)
            default: return Array(0..<count)
            }
        }
        var accepted: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        var refused = 0
        for (index, (tag, body)) in sections.enumerated() {
            for offset in offsets(tag, body.count) {
                for pattern in patterns where offset + pattern.count <= body.count {
                    var mutated = body
                    mutated.replaceSubrange(offset..<offset + pattern.count, with: pattern)
                    guard mutated != body else { continue }
                    var changed = sections
                    changed[index].1 = mutated
                    let file = StorageFixtures.frame(changed)
                    guard seen.insert(file).inserted else { continue }
                    if (try? RunFileResponses.importedRecord(from: file)) != nil { accepted.append(file) } else { refused += 1 }
                }
            }
        }
        print("RunImportLimitsTests: \(seen.count) mutated files, \(refused) refused by the reader, \(accepted.count) accepted")
        #expect(refused > 0 && !accepted.isEmpty)

        let t = try makeLab()
        for file in accepted {
            let answer = try importFile(t, file)
            #expect(answer.status == 201 || answer.status == 400, "\(answer.text)")
            guard answer.status == 201, let code = answer.json?["code"] as? String, let token = answer.json?["token"] as? String else { continue }
            for _ in 0..<2 {
                let export = try HTTPClient.request("GET", "/api/runs/\(code)/export", port: t.port)
                #expect(export.status == 200, "\(export.text)")
            }
            let deleted = try HTTPClient.request("DELETE", "/api/runs/\(code)", port: t.port, headers: ["Authorization": "Bearer \(token)"])
            #expect(deleted.status == 204)
        }
        #expect(try HTTPClient.request("GET", "/healthz", port: t.port).status == 200)
    }
}
