import Testing
import GANLab

@Suite struct JSONReaderTests {
    @Test func values_parseWithKeyOrderAndExactNumbers() throws {
        let json = try JSONReader.parse(#" {"b": [1, -2.5e3, true, false, null], "a": "x\u00e9\n\"", "c": {}} "#)
        guard case .object(let o) = json else { Issue.record("not an object"); return }
        #expect(o.keys == ["b", "a", "c"])
        #expect(o["b"] == [1, .number(-2500), true, false, nil])
        #expect(o["a"] == .string("xé\n\""))
        #expect(try JSONReader.parse("9007199254740991") == .number(9_007_199_254_740_991))
        #expect(try JSONReader.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func overflowingNumbers_becomeInfinity_notErrors() throws {
        #expect(try JSONReader.parse("1e400") == .number(.infinity))
        #expect(try JSONReader.parse("-1e400") == .number(-.infinity))
        #expect(try JSONReader.parse("1e-400") == .number(0))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity",
                      "tru", "nul", "\"abc", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "{\"a\":1,\"a\":2}",
                      "[1] [2]", "{1:2}", "'a'", "[\"\\u12\"]"])
    func malformedTexts_areRefusedWithAPosition(_ text: String) {
        #expect(throws: JSONReader.Failure.self, "\(text)") { try JSONReader.parse(text) }
    }

    @Test func invalidUTF8_isRefused() {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func deepNesting_isRefusedBeforeTheStackIsAtRisk() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(deep) }
        let fine = String(repeating: "[", count: JSONReader.maximumDepth) + String(repeating: "]", count: JSONReader.maximumDepth)
        _ = try JSONReader.parse(fine)
    }

    @Test func writing_escapesAndRoundTrips() throws {
        let value: JSON = ["s": .string("a\"b\\c\n\u{1}\u{2028}é"), "n": .number(0.1), "f": .float(0.03), "i": 42, "big": .number(1e300),
                           "nan": .number(.nan), "inf": .number(.infinity), "l": [true, nil]]
        let text = value.text
        #expect(text.contains(#""f":0.03"#), "\(text)")
        #expect(text.contains(#""i":42"#))
        #expect(text.contains(#""nan":null,"inf":null"#), "JSON has no NaN or infinity")
        #expect(text.contains("\\u2028") && text.contains("\\u0001"))
        let back = try JSONReader.parse(text)
        #expect(back["s"] == .string("a\"b\\c\n\u{1}\u{2028}é"))
        #expect(back["n"] == .number(0.1))
        #expect(back["big"] == .number(1e300))
    }
}
