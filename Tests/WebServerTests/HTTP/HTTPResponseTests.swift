import Foundation
import Testing
import WebServer

@Suite struct HTTPResponseTests {
    let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    private func text(_ response: HTTPResponse, keepAlive: Bool = true, head: Bool = false) -> String {
        String(decoding: response.serialized(date: date, keepAlive: keepAlive, isHeadRequest: head), as: UTF8.self)
    }

    @Test func okResponse_hasDateLengthAndType() {
        let response = HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: "hello".bytes)
        #expect(text(response) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: \(date)\r\nContent-Length: 5\r\n\r\nhello")
    }

    @Test func missingContentType_defaultsToOctetStream() {
        let response = HTTPResponse(status: .ok, body: [1, 2, 3])
        #expect(text(response).contains("\r\nContent-Type: application/octet-stream\r\n"))
    }

    @Test func headResponse_keepsLengthButSendsNoBody() {
        let response = HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: "hello".bytes)
        #expect(text(response, head: true) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: \(date)\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func headResponseWithoutBody_keepsCallersLength() {
        let response = HTTPResponse(status: .ok, headers: ["Content-Type": "text/html", "Content-Length": "1234"])
        #expect(text(response, head: true).contains("\r\nContent-Length: 1234\r\n"))
    }

    @Test func emptyBody_saysLengthZeroAndNoType() {
        let serialized = text(HTTPResponse(status: .ok))
        #expect(serialized == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func callersWrongLength_isCorrected() {
        let response = HTTPResponse(status: .ok, headers: ["Content-Length": "99"], body: "abc".bytes)
        #expect(text(response).contains("\r\nContent-Length: 3\r\n"))
        #expect(!text(response).contains("Content-Length: 99"))
    }

    @Test func notKeepAlive_addsConnectionClose() {
        let response = HTTPResponse(status: .badRequest, headers: ["Connection": "keep-alive"])
        #expect(text(response, keepAlive: false).contains("\r\nConnection: close\r\n"))
        #expect(!text(response, keepAlive: false).contains("keep-alive"))
    }

    @Test func noContentAndSwitching_haveNoLengthOrBody() {
        for status in [HTTPStatus.noContent, .switchingProtocols] {
            let serialized = text(HTTPResponse(status: status, body: "ignored".bytes))
            #expect(!serialized.contains("Content-Length"))
            #expect(!serialized.contains("ignored"))
            #expect(serialized.hasSuffix("\r\n\r\n"))
        }
    }

    @Test func notModified_hasNoBodyAndOnlyCallersLength() {
        #expect(!text(HTTPResponse(status: .notModified)).contains("Content-Length"))
        let withLength = HTTPResponse(status: .notModified, headers: ["ETag": "\"a\"", "Content-Length": "10"])
        #expect(text(withLength).contains("Content-Length: 10\r\n"))
    }

    @Test func headerValuesCannotSplitTheResponse() {
        let response = HTTPResponse(status: .ok, headers: ["Location": "/a\r\nSet-Cookie: evil=1"])
        let serialized = text(response)
        #expect(serialized.contains("Location: /a  Set-Cookie: evil=1\r\n"))
        #expect(!serialized.contains("\r\nSet-Cookie"))
    }

    @Test func errorBody_isValidJSONWithEscapes() throws {
        let message = "bad \"value\"\\ in\nline\u{1}\t\u{2028}é"
        let response = HTTPResponse.error(.notFound, message)
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == 404)
        #expect(error?["message"] as? String == message)
    }

    @Test func serializedResponse_roundTripsThroughAParserLikeReading() {
        let response = HTTPResponse.json(.ok, "{\"ok\":true}")
        let serialized = text(response)
        #expect(serialized.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(serialized.hasSuffix("\r\n\r\n{\"ok\":true}"))
        #expect(serialized.contains("Content-Length: 11\r\n"))
    }
}
