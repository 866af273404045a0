import Testing
import GANEngine

@Suite struct MetricsBenchmarkTests {
    @Test func run_timesEveryCase_withPositiveFiniteTimes() {
        let results = MetricsBenchmark.run(repetitions: 1)
        let names = results.map(\.name)
        #expect(names.contains("divergence_measure") && names.contains("mode_coverage_grid25"))
        #expect(names.contains("manifold_densities") && names.contains("divergence_meter_init"))
        #expect(Preset.allCases.allSatisfy { names.contains("sample_\($0.rawValue)_1000") })
        #expect(Set(names).count == names.count)
        #expect(results.allSatisfy { $0.microseconds > 0 && $0.microseconds.isFinite })
    }
}
