import Testing
import GANEngine

@Suite struct RandomSourceTests {
    @Test func sameSeed_givesSameStream() {
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
    }

    @Test func differentSeeds_giveDifferentStreams() {
        var a = RandomSource(seed: 1), b = RandomSource(seed: 2)
        let same = (0..<100).filter { _ in a.next() == b.next() }.count
        #expect(same == 0)
    }

    @Test func uniform_staysInUnitIntervalWithMeanOneHalf() {
        var r = RandomSource(seed: 7)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = r.nextUniform()
            #expect(u >= 0 && u < 1)
            sum += Double(u)
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.01)
    }

    @Test func gaussian_hasUnitMomentsAndIsFinite() {
        var r = RandomSource(seed: 9)
        var sum = 0.0, sumSq = 0.0
        let n = 200_000
        for _ in 0..<n {
            let g = Double(r.nextGaussian())
            #expect(g.isFinite)
            sum += g; sumSq += g * g
        }
        let mean = sum / Double(n)
        #expect(abs(mean) < 0.01)
        #expect(abs(sumSq / Double(n) - mean * mean - 1) < 0.02)
    }

    @Test func nextIndex_coversRangeEvenly() {
        var r = RandomSource(seed: 3)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<50_000 { counts[r.nextIndex(below: 5)] += 1 }
        for c in counts { #expect(abs(c - 10_000) < 500) }
    }
}

@Suite struct RandomSourceStateTests {
    @Test func restoredState_continuesTheStreamExactly() throws {
        var a = RandomSource(seed: 9)
        _ = a.nextGaussian()  // leaves a spare deviate
        let saved = a.state
        var b = try #require(RandomSource(state: saved))
        for _ in 0..<100 { #expect(a.next() == b.next()) }
        #expect(a.nextGaussian().bitPattern == b.nextGaussian().bitPattern)
    }

    @Test func malformedStates_areRefused() {
        #expect(RandomSource(state: [1, 2, 3]) == nil)
        #expect(RandomSource(state: [0, 0, 0, 0, 0, 0]) == nil)
        #expect(RandomSource(state: [1, 2, 3, 4, 2, 0]) == nil)
    }
}
