import Foundation
import Testing
import GANLab
import LabClient

/// The run-file routes over a real lab on port 0 (docs/protocol.md §1).
@Suite struct StorageRoutesTests {
    func makeLab() throws -> TestLab {
        try TestLab(beforeStart: { StorageRoutes.install(on: $0, pretrained: PretrainedRuns(directory: nil)) })
    }

    @Test func samplesCSV_realRowsAreThePointsThePageShows() throws {
        let t = try makeLab()
        let (code, _, _) = try t.create(["playing": false])
        let socket = try RunSocket(port: t.port, code: code)
        _ = try socket.expect("hello")
        _ = try socket.expect("state")
        let data = try socket.expect("data")
        let shown = try #require(data["real"] as? [Double])
        let response = try HTTPClient.request("GET", "/api/runs/\(code)/samples.csv", port: t.port)
        #expect(response.status == 200)
        let rows = response.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let real = rows.filter { $0.first == "real" }.flatMap { [Double($0[1])!, Double($0[2])!] }
        let fake = rows.filter { $0.first == "fake" }
        #expect(real.count == shown.count)
        // The data message rounds to 4 decimals; the CSV has full precision.
        #expect(zip(real, shown).allSatisfy { abs($0 - $1) < 1e-3 })
        #expect(!fake.isEmpty)
    }
}
