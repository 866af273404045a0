import Foundation
import Testing
import GANEngine
import GANLab

/// `ganlab train --save/--resume` over the real executable: the same format as the lab, continuing bit for bit.
@Suite struct TrainSaveResumeTests {
    private func load(_ path: String) throws -> RunRecord {
        try RunRecordCodec.decode(SystemFileSystem().readFile(path))
    }

    @Test func saveThenResume_equalsTrainingInOneGo() throws {
        let dir = StorageFixtures.temporaryDirectory()
        let common = ["--preset", "ring", "--seed", "5", "--g-optimizer", "adam", "--every", "25"]
        let first = try GANLabProcess.run(["train"] + common + ["--epochs", "60", "--save", dir + "/a.ganrun"])
        #expect(first.status == 0, "\(first.output)")
        let resumed = try GANLabProcess.run(["train", "--resume", dir + "/a.ganrun", "--epochs", "40", "--every", "25", "--save", dir + "/b.ganrun"])
        #expect(resumed.status == 0, "\(resumed.output)")
        try GANLabProcess.run(["train"] + common + ["--epochs", "100", "--save", dir + "/c.ganrun"])

        let a = try load(dir + "/a.ganrun"), b = try load(dir + "/b.ganrun"), c = try load(dir + "/c.ganrun")
        #expect(a.trainer.epoch == 60)
        #expect(b.trainer.epoch == 100)
        #expect(b.trainer == c.trainer)
        #expect(b.trainer != a.trainer)
        #expect(b.metrics.map(\.epoch) == [0, 25, 50, 60, 85, 100])
        #expect(b.metrics.last == c.metrics.last)
        #expect(b.code == a.code)
        #expect(b.tokenHash == [UInt8](repeating: 0, count: 32))
    }

    @Test func saving_isReproducible_withSourceDateEpoch() throws {
        let dir = StorageFixtures.temporaryDirectory()
        for name in ["x", "y"] {
            try GANLabProcess.run(["train", "--preset", "line", "--epochs", "50", "--save", "\(dir)/\(name).ganrun"],
                                  environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        }
        #expect(try SystemFileSystem().readFile(dir + "/x.ganrun") == SystemFileSystem().readFile(dir + "/y.ganrun"))
        #expect(try load(dir + "/x.ganrun").createdAt == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func badResumes_exitWith2_andAMessage() throws {
        let dir = StorageFixtures.temporaryDirectory()
        FileManager.default.createFile(atPath: dir + "/bad.ganrun", contents: Data("nope".utf8))
        let bad = try GANLabProcess.run(["train", "--resume", dir + "/bad.ganrun", "--epochs", "1"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("not a ganlab run file"))
        try GANLabProcess.run(["train", "--preset", "line", "--epochs", "1", "--save", dir + "/ok.ganrun"])
        let conflict = try GANLabProcess.run(["train", "--resume", dir + "/ok.ganrun", "--preset", "ring"])
        #expect(conflict.status == 2)
        #expect(conflict.output.contains("drop --preset"))
        let unwritable = try GANLabProcess.run(["train", "--preset", "line", "--epochs", "1", "--save", dir + "/missing/dir/x.ganrun"])
        #expect(unwritable.status == 1)
        #expect(unwritable.output.contains("--save"))
    }
}
