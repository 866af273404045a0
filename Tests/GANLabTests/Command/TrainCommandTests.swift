import Foundation
import Testing

/// `ganlab train` as a new user meets it (issue 9, "Command line and files"), over the real executable.
@Suite struct TrainCommandTests {
    @Test func negativeEpochs_giveTheRangeMessage_inBothSpellings() throws {
        for arguments in [["--epochs", "-5"], ["--epochs=-5"]] {
            let result = try GANLabProcess.run(["train", "--preset", "line"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.output.contains("--epochs -5 is out of range: allowed 0...100000000"), "\(arguments): \(result.output)")
        }
    }

    @Test func aCSVThatCannotBeWritten_failsTheCommand() throws {
        // /dev/full accepts the open and fails every write with ENOSPC.
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let result = try GANLabProcess.run(["train", "--preset", "line", "--epochs", "10", "--csv", "/dev/full"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("--csv"))
    }

    @Test func version_printsTheReleaseAndProtocol() throws {
        let result = try GANLabProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.output.range(of: #"^\d+\.\d+\.\d+ \(protocol \d+\)\n$"#, options: .regularExpression) != nil, "\(result.output)")
    }

    @Test func aDivergingRun_printsItsJSON_withErrorAndEpoch_andExits3() throws {
        // Least squares at SGD rate 10 sends the reference gaussians' discriminator to infinity within a few epochs.
        let result = try GANLabProcess.run(["train", "--preset", "gaussians", "--defaults", "reference", "--loss", "least-squares",
                                            "--d-lr", "10", "--g-lr", "10", "--epochs", "2000", "--json"])
        #expect(result.status == 3, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("{") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let epoch = try #require(json["epoch"] as? Int)
        #expect(epoch > 0 && epoch < 2_000)
        #expect(json["epochs"] as? Int == epoch)
        #expect((json["error"] as? String)?.contains("diverged at epoch \(epoch)") == true, "\(line)")
        #expect(json["preset"] as? String == "gaussians")
    }
}
