import Foundation
import Testing
import GANLab
import LabClient

/// The `history` message carries every divergence's estimator floor (docs/protocol.md §2.2), so the page can draw a
/// noise-floor band under KL as well as under JS.
@Suite(.serialized) struct HistoryFloorsTests {
    @Test func history_hasTheKLFloorColumns_filledAsTheFramesReportThem() throws {
        let lab = try TestLab()
        let run = try lab.create(["playing": false])
        let socket = try lab.join(run.code, token: run.token)
        _ = try socket.command(["type": "step", "what": "epoch", "count": 30])
        let frame = try socket.frame { $0.header.epoch >= 30 }
        let metrics = try #require(frame.metrics())
        let viewer = try RunSocket(port: lab.port, code: run.code)
        let history = try viewer.expect("history")
        let columns = try #require(history["columns"] as? [String])
        #expect(columns == ServerMessages.historyColumns)
        #expect(columns.suffix(2) == ["klRealFakeFloor", "klFakeRealFloor"])
        let rows = try #require(history["rows"] as? [[Any]])
        let last = try #require(rows.last)
        let value = { (name: String) in (last[columns.firstIndex(of: name)!] as? NSNumber)?.floatValue }
        // Frame metrics 7 and 8 are the KL floors (§3, section 8): the history keeps the same numbers.
        #expect(value("klRealFakeFloor") == metrics[7] && value("klFakeRealFloor") == metrics[8])
        #expect(metrics[7] > 0 && metrics[8] > 0, "a finite sample always has a positive floor: \(metrics)")
    }
}
