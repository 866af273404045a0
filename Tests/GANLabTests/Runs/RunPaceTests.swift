import Testing
import GANLab

@Suite struct RunPaceTests {
    @Test func pausedPace_owesNothing() {
        var pace = RunPace(epochsPerSecond: 100)
        #expect(pace.dueEpochs(now: 1_000, limit: 10_000) == 0)
    }

    @Test func playingPace_owesEpochsInProportionToElapsedTime() {
        var pace = RunPace(epochsPerSecond: 100)
        pace.play(now: 10)
        #expect(pace.dueEpochs(now: 10.5, limit: 10_000) == 50)
        pace.didTrain(50)
        #expect(pace.dueEpochs(now: 10.5, limit: 10_000) == 0)
        #expect(pace.dueEpochs(now: 11, limit: 10_000) == 50)
    }

    @Test func pauseThenPlay_doesNotOweThePausedTime() {
        var pace = RunPace(epochsPerSecond: 10)
        pace.play(now: 0)
        pace.didTrain(pace.dueEpochs(now: 1, limit: 10_000))
        pace.pause()
        pace.play(now: 100)
        #expect(pace.dueEpochs(now: 100.5, limit: 10_000) == 5)
    }

    @Test func longStall_isCappedAtTheLimitAndTheBacklogDropped() {
        var pace = RunPace(epochsPerSecond: 1_000)
        pace.play(now: 0)
        #expect(pace.dueEpochs(now: 60, limit: 500) == 500)
        pace.didTrain(500)
        #expect(pace.dueEpochs(now: 60.25, limit: 500) == 250)
    }

    @Test func changingThePace_appliesFromNowOn() {
        var pace = RunPace(epochsPerSecond: 10)
        pace.play(now: 0)
        pace.didTrain(pace.dueEpochs(now: 1, limit: 10_000))
        pace.setEpochsPerSecond(1_000, now: 1)
        #expect(pace.dueEpochs(now: 1.1, limit: 10_000) == 100)
    }
}
