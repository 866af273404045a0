import Testing
import GANLab

@Suite struct RunTokenTests {
    @Test func tokens_are128BitsOfLowercaseHex_andDiffer() {
        let tokens = (0..<100).map { _ in RunToken.generate().text }
        #expect(tokens.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(Set(tokens).count == 100)
        #expect(!"\(RunToken.generate())".contains(where: \.isHexDigit) || "\(RunToken.generate())" == "RunToken(…)",
                "printing a token never shows it")
    }

    @Test func matches_onlyTheExactToken() {
        let token = RunToken.generate()
        #expect(RunToken.matches(token.text, storedHash: token.hash))
        #expect(!RunToken.matches(token.text.uppercased(), storedHash: token.hash))
        #expect(!RunToken.matches(String(token.text.dropLast()), storedHash: token.hash))
        #expect(!RunToken.matches("", storedHash: token.hash))
        #expect(!RunToken.matches(String(repeating: "a", count: 100_000), storedHash: token.hash))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]) && !ConstantTime.equals([1, 2, 3], [1, 2, 4]) && !ConstantTime.equals([1], [1, 1]))
    }

    @Test func codes_useTheAlphabetWithoutLookAlikes() {
        let codes = (0..<200).map { _ in RunCode.random().text }
        #expect(codes.allSatisfy { $0.count == 6 && $0.allSatisfy(RunCode.alphabet.contains) })
        #expect(codes.allSatisfy { !$0.contains(where: "01OIL".contains) })
        #expect(Set(codes).count > 195)
        #expect(RunCode("k7qx3m")?.text == "K7QX3M", "case-insensitive on input")
        #expect(RunCode("K7QX30") == nil && RunCode("K7QX3") == nil && RunCode("K7QX3MM") == nil)
    }
}
