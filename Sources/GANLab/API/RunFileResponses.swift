import Foundation
import WebServer

/// The HTTP answers of docs/protocol.md §1 that carry a run's files: the export download, the metrics and
/// samples CSV, share links, and the refusal of a bad upload or link. The lab's routes look the run up and call
/// these, so the bytes and headers are decided in one place and tested without a server.
public enum RunFileResponses {
    /// `GET /api/runs/{code}/export`: the saved run as one download.
    public static func export(_ record: RunRecord) -> HTTPResponse {
        download(RunRecordCodec.encode(record), type: "application/vnd.ganlab.run", filename: "ganlab-\(record.code).\(RunFormat.fileExtension)")
    }

    /// A request refused, with the response that says why.
    public struct Refusal: Error, Sendable {
        /// The answer to send.
        public var response: HTTPResponse
    }

    /// `POST /api/runs/import`: the uploaded file as a record, or the 400 to answer (newer version, bad checksum, ...).
    public static func importedRecord(from body: [UInt8]) throws(Refusal) -> RunRecord {
        guard !body.isEmpty else { throw Refusal(response: error(.badRequest, kind: "bad-file", "the request has no file: send a .ganrun file as the body")) }
        do {
            let record = try RunRecordCodec.decode(body)
            try record.checkRestorable()
            return record
        } catch {
            throw Refusal(response: Self.error(.badRequest, kind: error.isNewerVersion ? "newer-version" : "bad-file",
                                               "cannot import this file: \(error.description)"))
        }
    }

    /// `GET /api/runs/{code}/metrics.csv`: the history with a header row; empty fields where a value is not available.
    public static func metricsCSV(_ record: RunRecord) -> HTTPResponse {
        var text = ServerMessages.historyColumns.joined(separator: ",") + "\n"
        for row in record.metrics {
            let values = [row.discriminatorLoss, row.generatorLoss, row.generatorGradientNorm, row.klRealFake, row.klFakeReal,
                          row.js, row.jsFloor]
            let floors = [row.klRealFakeFloor, row.klFakeRealFloor]
            // modesMissed is a count: "2", not "2.0".
            let fields = values.map(csvField) + [row.modesMissed.isFinite ? "\(Int(row.modesMissed))" : ""] + floors.map(csvField)
            text += "\(row.epoch)," + fields.joined(separator: ",") + "\n"
        }
        return download(Array(text.utf8), type: "text/csv; charset=utf-8", filename: "ganlab-\(record.code)-metrics.csv")
    }

    /// A number as CSV: empty when not available (NaN).
    private static func csvField(_ value: Float) -> String { value.isFinite ? "\(value)" : "" }

    /// `GET /api/runs/{code}/samples.csv`: `kind,x,y` rows, the shown real samples then the current fakes (flat x, y pairs).
    public static func samplesCSV(code: RunCode, real: [Float], fakes: [Float]) -> HTTPResponse {
        var text = "kind,x,y\n"
        for (kind, points) in [("real", real), ("fake", fakes)] {
            for i in stride(from: 0, to: points.count - 1, by: 2) { text += "\(kind),\(points[i]),\(points[i + 1])\n" }
        }
        return download(Array(text.utf8), type: "text/csv; charset=utf-8", filename: "ganlab-\(code)-samples.csv")
    }

    /// `GET /api/runs/{code}/share`: `{"blob","url","characters","epoch"}`, or 413/409 with the run's own link as `fallback`.
    public static func share(_ record: RunRecord) -> HTTPResponse {
        do {
            let blob = try ShareLinkCodec.encode(try ShareLink(record: record))
            var response = HTTPResponse.json(.ok, "{\"blob\":\"\(blob)\",\"url\":\"\(ShareLink.path(for: blob))\",\"characters\":\(blob.count),\"epoch\":\(record.trainer.epoch)}")
            response.headers.replaceOrAdd("Cache-Control", "no-store")
            return response
        } catch {
            let status = error == .incompleteHistory ? HTTPStatus(409, "Conflict") : .payloadTooLarge
            return Self.error(status, kind: "too-large", error.description, extra: ",\"fallback\":{\"url\":\"/r/\(record.code)\"}")
        }
    }

    /// docs/protocol.md §1's error body.
    static func error(_ status: HTTPStatus, kind: String, _ message: String, field: String? = nil, extra: String = "") -> HTTPResponse {
        let fieldText = field.map { ",\"field\":\(HTTPResponse.jsonString($0))" } ?? ""
        return .json(status, "{\"error\":{\"code\":\(status.code),\"kind\":\"\(kind)\",\"message\":\(HTTPResponse.jsonString(message))\(fieldText)}\(extra)}")
    }

    private static func download(_ bytes: [UInt8], type: String, filename: String) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": type, "Content-Disposition": "attachment; filename=\"\(filename)\"",
                                            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"], body: bytes)
    }
}
