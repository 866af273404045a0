import Foundation
import Testing
import GANEngine
import GANLab
import WebServer

/// The file-carrying HTTP answers of docs/protocol.md §1: headers, bodies and refusals.
@Suite struct RunFileResponsesTests {
    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func export_isADownloadThatImportsBack() throws {
        let record = StorageFixtures.record()
        let response = RunFileResponses.export(record)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"ganlab-K7QX3M.ganrun\"")
        #expect(try RunFileResponses.importedRecord(from: response.body) == record)
    }

    @Test func badUploads_get400_withTheReason() throws {
        var newer = RunRecordCodec.encode(StorageFixtures.record())
        newer[8] = 2
        var damaged = RunRecordCodec.encode(StorageFixtures.record())
        damaged[99] ^= 1
        let cases: [([UInt8], String, String)] = [
            ([], "bad-file", "the request has no file"),
            (Array("hello".utf8), "bad-file", "cannot import this file: not a ganlab run file"),
            (newer, "newer-version", "saved by a newer ganlab (format 2."),
            (damaged, "bad-file", "checksum mismatch"),
            (Array(damaged.prefix(100)), "bad-file", "truncated: 100 of"),
        ]
        for (body, kind, message) in cases {
            let refusal = try #require(throws: RunFileResponses.Refusal.self) { try RunFileResponses.importedRecord(from: body) }
            #expect(refusal.response.status == .badRequest)
            let error = try #require(try json(refusal.response)["error"] as? [String: Any])
            #expect(error["kind"] as? String == kind)
            #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
            #expect(error["code"] as? Int == 400)
        }
    }

    @Test func metricsCSV_hasAHeader_andEmptyFieldsForNaN() {
        let text = String(decoding: RunFileResponses.metricsCSV(StorageFixtures.record()).body, as: UTF8.self)
        #expect(text == """
            epoch,dLoss,gLoss,gGradNorm,klRealFake,klFakeReal,js,jsFloor,modesMissed,klRealFakeFloor,klFakeRealFloor
            0,,,,3.0,2.0,0.9,0.01,,,
            1000,1.3,0.7,0.1,0.2,0.1,0.05,0.01,0,0.02,0.03

            """)
    }

    @Test func samplesCSV_listsRealThenFakes() {
        let response = RunFileResponses.samplesCSV(code: RunCode("K7QX3M")!, real: [0.5, -0.5], fakes: [0.25, 0.125, -1, 1])
        #expect(String(decoding: response.body, as: UTF8.self) == "kind,x,y\nreal,0.5,-0.5\nfake,0.25,0.125\nfake,-1.0,1.0\n")
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
    }

    @Test func share_givesALink_orTheRunsOwnLinkWhenTooLarge() throws {
        var record = StorageFixtures.record(points: false)
        let ok = try json(RunFileResponses.share(record))
        let blob = try #require(ok["blob"] as? String)
        #expect(ok["url"] as? String == "/s/" + blob)
        let templates = StorageTemplates(pretrained: PretrainedRuns(directory: nil))
        #expect(try templates.blueprint(fromShare: blob, configuration: LabConfiguration()).data == .preset(.ring))

        record.data = .points(coordinates: (0..<8_000).map { Float($0 % 97) / 97 - 0.5 + Float($0) * 1e-7 }, weights: nil, jitter: 0.04)
        let tooLarge = RunFileResponses.share(record)
        #expect(tooLarge.status.code == 413)
        let body = try json(tooLarge)
        #expect((body["fallback"] as? [String: Any])?["url"] as? String == "/r/K7QX3M")

        // A link that cannot be opened: 400 bad-field naming "share" (ShareLinkError's comment says the same).
        let refusal = try #require(throws: LabProtocolError.self) { try templates.blueprint(fromShare: "not*base64", configuration: LabConfiguration()) }
        let error = try #require(try json(refusal.httpResponse)["error"] as? [String: Any])
        #expect(error["kind"] as? String == "bad-field" && error["field"] as? String == "share" && error["code"] as? Int == 400)
    }
}
