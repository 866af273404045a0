import Foundation
import Testing
import GANEngine
import GANLab
import LabClient

/// A share link over a real `ganlab serve`: the copy it opens, trained to the original's epoch, is bit-identical,
/// live changes and single updates on the way included (docs/run-format.md §3–4).
@Suite struct ShareLinkServerTests {
    @Test func aSharedRun_reproducesTheOriginal_atTheSameEpoch() throws {
        let server = try ServerProcess(dataDirectory: StorageFixtures.temporaryDirectory())
        defer { server.stop() }
        // Issue 9: the start-up log names the BLAS kernels in use.
        #expect(server.log.contains("ganlab: BLAS kernels: OpenBLAS"), "\(server.log)")
        let created = try #require(try server.post("/api/runs", ["preset": "ring", "playing": false, "seed": 9,
                                                                   "config": TestLab.smallViews]).json)
        let code = try #require(created["code"] as? String), token = try #require(created["token"] as? String)
        let socket = try RunSocket(port: server.port, code: code)
        _ = try socket.expect("hello")
        _ = try socket.command(["type": "auth", "token": token])
        func epoch(_ c: String) throws -> Int? { try server.json("/api/runs/\(c)")?["epoch"] as? Int }
        _ = try socket.command(["type": "step", "what": "epoch", "count": 12])
        #expect(try ServerProcess.poll { try epoch(code) == 12 })
        _ = try socket.command(["type": "configure", "config": ["generator.learningRate": 0.01, "batchSize": 64]])
        _ = try socket.command(["type": "step", "what": "d", "count": 1])
        _ = try socket.command(["type": "step", "what": "epoch", "count": 7])
        _ = try #require(try server.record(of: code, afterEpochs: 20))

        let share = try #require(try server.json("/api/runs/\(code)/share"))
        let blob = try #require(share["blob"] as? String)
        #expect(share["epoch"] as? Int == 20)
        let opened = try #require(try server.post("/api/runs", ["share": blob, "playing": false]).json)
        let copy = try #require(opened["code"] as? String), copyToken = try #require(opened["token"] as? String)
        #expect(try epoch(copy) == 0)
        let copySocket = try RunSocket(port: server.port, code: copy)
        _ = try copySocket.expect("hello")
        _ = try copySocket.command(["type": "auth", "token": copyToken])
        _ = try copySocket.command(["type": "step", "what": "epoch", "count": 20])
        let (a, b) = (try #require(try server.record(of: code, afterEpochs: 20)).trainer,
                      try #require(try server.record(of: copy, afterEpochs: 20)).trainer)
        #expect(a.configuration.settingValues == b.configuration.settingValues)
        #expect(a.epoch == b.epoch)
        #expect(a.random == b.random)
        #expect(a.tensors == b.tensors)
        #expect(a.scalars.mapValues(\.bitPattern) == b.scalars.mapValues(\.bitPattern), "\(a.scalars) vs \(b.scalars)")
        #expect(a == b)
        let link = try ShareLinkCodec.decode(blob)
        #expect(link.edits.entries.count == 2, "\(link.edits.entries)")

        let bad = try server.post("/api/runs", ["share": String(blob.dropLast(3))])
        #expect(bad.status == 400)
        #expect(bad.text.contains("share"))
    }
}
