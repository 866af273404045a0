import Testing
import WebServer

@Suite struct FileValidatorsTests {
    let validators = FileValidators(entityTag: "\"abc-1\"", lastModified: 1_700_000_000)

    @Test func entityTag_isQuotedAndChangesWithSizeOrTime() {
        let a = FileValidators(size: 10, modifiedSeconds: 100, modifiedNanoseconds: 5)
        let b = FileValidators(size: 11, modifiedSeconds: 100, modifiedNanoseconds: 5)
        let c = FileValidators(size: 10, modifiedSeconds: 100, modifiedNanoseconds: 6)
        #expect(a.entityTag.hasPrefix("\"") && a.entityTag.hasSuffix("\""))
        #expect(a.entityTag != b.entityTag)
        #expect(a.entityTag != c.entityTag)
        #expect(a.lastModified == 100)
    }

    @Test func matchingIfNoneMatch_isNotModified() {
        #expect(validators.isNotModified(ifNoneMatch: "\"abc-1\"", ifModifiedSince: nil))
        #expect(validators.isNotModified(ifNoneMatch: "\"x\", \"abc-1\"", ifModifiedSince: nil))
        #expect(validators.isNotModified(ifNoneMatch: "W/\"abc-1\"", ifModifiedSince: nil))   // weak comparison
        #expect(validators.isNotModified(ifNoneMatch: "*", ifModifiedSince: nil))
    }

    @Test func differentIfNoneMatch_isModified_evenWithRecentDate() {
        #expect(!validators.isNotModified(ifNoneMatch: "\"other\"", ifModifiedSince: nil))
        // RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is present.
        #expect(!validators.isNotModified(ifNoneMatch: "\"other\"", ifModifiedSince: 1_800_000_000))
    }

    @Test func ifModifiedSince_comparesSeconds() {
        #expect(validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: 1_700_000_000))
        #expect(validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: 1_700_000_001))
        #expect(!validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: 1_699_999_999))
        #expect(!validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: nil))
    }
}
