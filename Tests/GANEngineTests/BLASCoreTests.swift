import Testing
import GANEngine

/// The kernel choice with the CPU, OpenBLAS's own pick and the user's setting injected, so it is
/// tested for CPUs this machine is not; and, on this machine, that the choice is what runs.
@Suite struct BLASCoreTests {
    static let avx2 = ["sse4_2", "avx", "avx2", "fma"]
    static let avx512 = avx2 + ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    static func cpu(_ vendor: String, family: Int, _ flags: [String], name: String = "test CPU") -> BLASCore.CPU {
        BLASCore.CPU(vendor: vendor, family: family, modelName: name, flags: Set(flags))
    }

    @Test func bestCore_mapsFeaturesToTheCoresOpenBLAS0_3_21Has() {
        let intel = "GenuineIntel", amd = "AuthenticAMD"
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, Self.avx512 + ["avx512_bf16", "amx_tile", "amx_bf16", "avx512_fp16"],
                                                name: "Intel(R) Xeon(R) Processor")) == "Cooperlake")  // Sapphire Rapids
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, Self.avx512 + ["avx512_bf16"])) == "Cooperlake")
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, Self.avx512 + ["avx512_vnni"])) == "SkylakeX")  // Cascade Lake
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, Self.avx2)) == "Haswell")
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, ["sse4_2", "avx"])) == "Sandybridge")
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, ["sse3", "sse4_2"])) == nil)
        // Knights Landing: AVX-512F without BW/DQ/VL cannot run the SkylakeX kernels.
        #expect(BLASCore.bestCore(for: Self.cpu(intel, family: 6, Self.avx2 + ["avx512f", "avx512cd", "avx512er", "avx512pf"])) == "Haswell")
        #expect(BLASCore.bestCore(for: Self.cpu(amd, family: 23, Self.avx2, name: "AMD EPYC")) == "Zen")
        #expect(BLASCore.bestCore(for: Self.cpu(amd, family: 25, Self.avx512 + ["avx512_bf16"])) == "Cooperlake")  // Zen 4
        #expect(BLASCore.bestCore(for: Self.cpu("HygonGenuine", family: 24, Self.avx2)) == "Zen")
    }

    @Test func choose_upgradesOnlyAMisdetectedTier() {
        let xeon = Self.cpu("GenuineIntel", family: 6, Self.avx512, name: "Intel(R) Xeon(R) Processor")
        // The VM: OpenBLAS 0.3.21 falls back to Prescott (SSE3).
        #expect(BLASCore.choose(cpu: xeon, detected: "Prescott", userCoreType: nil)
                == BLASCore.Choice(core: "SkylakeX", source: .engine, detected: "Prescott"))
        // A name OpenBLAS reports that the table does not know counts as the lowest tier.
        #expect(BLASCore.choose(cpu: xeon, detected: "Unknown", userCoreType: nil).core == "SkylakeX")
        // Already the best tier: OpenBLAS's pick stands (it knows the model; Zen and Haswell are one tier).
        let epyc = Self.cpu("AuthenticAMD", family: 23, Self.avx2, name: "AMD EPYC")
        #expect(BLASCore.choose(cpu: epyc, detected: "Zen", userCoreType: nil)
                == BLASCore.Choice(core: "Zen", source: .openBLAS, detected: "Zen"))
        #expect(BLASCore.choose(cpu: epyc, detected: "Haswell", userCoreType: nil).source == .openBLAS)
        #expect(BLASCore.choose(cpu: xeon, detected: "Cooperlake", userCoreType: nil).core == "Cooperlake")
        // A core the user set is kept, even a slower one.
        #expect(BLASCore.choose(cpu: xeon, detected: "Prescott", userCoreType: "Prescott")
                == BLASCore.Choice(core: "Prescott", source: .user, detected: "Prescott"))
        // No CPU information (not x86 Linux): nothing to improve on.
        #expect(BLASCore.choose(cpu: nil, detected: "Prescott", userCoreType: nil).source == .openBLAS)
        #expect(BLASCore.choose(cpu: xeon, detected: "Prescott", userCoreType: "").source == .engine)
    }

    @Test func tiers_orderTheKernelGenerations() {
        let order = ["Prescott", "Sandybridge", "Haswell", "SkylakeX", "Cooperlake", "SapphireRapids"].map(BLASCore.tier)
        #expect(order == [1, 2, 3, 4, 5, 6])
        #expect(BLASCore.tier(of: "zen") == BLASCore.tier(of: "Haswell"))
        #expect(BLASCore.tier(of: "Bogus") == 0)
    }

    @Test func cpuinfo_isReadFromTheFirstProcessor() {
        let text = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 143
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 amx_tile

            processor\t: 1
            vendor_id\t: Other
            flags\t\t: sse

            """
        let cpu = BLASCore.CPU(cpuinfo: text)
        #expect(cpu == Self.cpu("GenuineIntel", family: 6,
                                ["fpu", "sse", "sse2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw",
                                 "avx512vl", "avx512_bf16", "amx_tile"], name: "Intel(R) Xeon(R) Processor"))
        #expect(BLASCore.CPU(cpuinfo: "processor\t: 0\nCPU implementer\t: 0x41\nFeatures\t: fp asimd\n") == nil)
    }

    @Test func onThisMachine_theChosenCoreIsTheOneRunning() {
        let choice = BLASCore.current
        #expect(choice.core.lowercased() == GEMM.openBLASCoreName.lowercased())
        #expect(BLASCore.tier(of: choice.core) >= BLASCore.tier(of: choice.detected))
        if let cpu = BLASCore.CPU.current(), choice.source != .user, let best = BLASCore.bestCore(for: cpu) {
            #expect(BLASCore.tier(of: choice.core) >= BLASCore.tier(of: best))
        }
        #expect(BLASCore.description.contains(GEMM.openBLASCoreName))
    }
}
