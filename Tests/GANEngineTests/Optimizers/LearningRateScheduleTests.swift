import Testing
import GANEngine

@Suite struct LearningRateScheduleTests {
    @Test func constant_isExactlyOne() {
        let s = LearningRateSchedule()
        #expect(s.factor(afterEpochs: 0) == 1 && s.factor(afterEpochs: 1_000_000) == 1)
        #expect(s.learningRate(0.03, afterEpochs: 123) == 0.03)
    }

    @Test func cosine_fallsFromOneToTheFloor() {
        let s = LearningRateSchedule(kind: .cosine, epochs: 100, floor: 0.1)
        #expect(s.factor(afterEpochs: 0) == 1)
        #expect(abs(s.factor(afterEpochs: 50) - 0.55) < 1e-7)
        #expect(abs(s.factor(afterEpochs: 100) - 0.1) < 1e-7 && abs(s.factor(afterEpochs: 500) - 0.1) < 1e-7)
    }

    @Test func linear_andStep_followTheirFormulas() {
        let linear = LearningRateSchedule(kind: .linear, epochs: 200, floor: 0)
        #expect(linear.factor(afterEpochs: 50) == 0.75 && linear.factor(afterEpochs: 400) == 0)
        let step = LearningRateSchedule(kind: .step, epochs: 10, floor: 0.2, stepFactor: 0.5)
        #expect(step.factor(afterEpochs: 9) == 1 && step.factor(afterEpochs: 10) == 0.5 && step.factor(afterEpochs: 25) == 0.25)
        #expect(abs(step.factor(afterEpochs: 1_000) - 0.2) < 1e-7)
    }
}
