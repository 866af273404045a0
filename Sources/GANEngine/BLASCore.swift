#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Which OpenBLAS kernels (its "core") the engine's large products run on, chosen for this CPU.
///
/// Why: a DYNAMIC_ARCH OpenBLAS picks its kernels from the CPU model when it loads, and Debian
/// bookworm's 0.3.21 does not know newer Intel Xeons: on a VM reporting "Intel(R) Xeon(R) Processor"
/// with AVX-512 it falls back to `Prescott` (SSE3) and single-core sgemm drops from ≈ 130 to 21
/// GFLOP/s (issue 9). The CPU's feature flags say what it can run, so before the first BLAS call
/// (`GEMM.blasMultiply` runs `prepare()` once) the engine compares OpenBLAS's choice with the best
/// core the flags allow and, if OpenBLAS chose a lower tier, makes OpenBLAS re-select its kernels
/// with `OPENBLAS_CORETYPE` set (`GEMM.reselectOpenBLASKernels`, the same initialisation OpenBLAS
/// runs at load). A core the user set in `OPENBLAS_CORETYPE` is always kept.
///
/// The choice itself (`choose`) is a pure function of the CPU's vendor, family and flags, OpenBLAS's
/// own pick and the user's setting, so it is tested with each of them injected.
public enum BLASCore {
    /// The CPU facts the choice needs, as Linux reports them in /proc/cpuinfo.
    public struct CPU: Sendable, Equatable {
        /// "GenuineIntel", "AuthenticAMD", ...
        public var vendor: String
        /// The CPU family (AMD Zen: 23, 25, 26; Intel: 6).
        public var family: Int
        /// The marketing name, e.g. "AMD EPYC" or "Intel(R) Xeon(R) Processor".
        public var modelName: String
        /// Feature flags in the kernel's spelling: "avx2", "fma", "avx512f", "avx512_bf16", ...
        public var flags: Set<String>

        /// A CPU from its parts.
        public init(vendor: String, family: Int, modelName: String, flags: Set<String>) {
            self.vendor = vendor
            self.family = family
            self.modelName = modelName
            self.flags = flags
        }

        /// The first processor of a /proc/cpuinfo text; nil when it has no flags line (not x86 Linux).
        public init?(cpuinfo text: String) {
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.isEmpty && !fields.isEmpty { break }  // the end of the first processor's block
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters(in: " \t")
                let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
                if fields[key] == nil { fields[key] = value }
            }
            guard let flags = fields["flags"] else { return nil }
            self.init(vendor: fields["vendor_id"] ?? "", family: Int(fields["cpu family"] ?? "") ?? 0,
                      modelName: fields["model name"] ?? "", flags: Set(flags.split(separator: " ").map(String.init)))
        }

        /// This machine's CPU (nil off x86 Linux).
        public static func current() -> CPU? {
            guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
            defer { fclose(file) }
            var text = ""
            var line = [CChar](repeating: 0, count: 4096)
            while fgets(&line, Int32(line.count), file) != nil {
                let piece = String(cString: line)
                if piece == "\n" && !text.isEmpty { break }
                text += piece
            }
            return CPU(cpuinfo: text)
        }

        /// True for AMD processors.
        var isAMD: Bool { vendor == "AuthenticAMD" || vendor == "HygonGenuine" }
    }

    /// Why the core in use is the one it is.
    public enum Source: String, Sendable, Equatable {
        /// `OPENBLAS_CORETYPE` was set by the user: kept as given.
        case user
        /// OpenBLAS's own detection at load, already the best tier this CPU supports.
        case openBLAS = "openblas"
        /// The engine switched OpenBLAS to a better core than it detected.
        case engine
    }

    /// A decision: the core to run and why.
    public struct Choice: Sendable, Equatable {
        /// The OpenBLAS core name to use (`OPENBLAS_CORETYPE` spelling), e.g. "SkylakeX".
        public var core: String
        /// Who chose it.
        public var source: Source
        /// What OpenBLAS picked on its own when it loaded.
        public var detected: String

        /// A decision from its parts.
        public init(core: String, source: Source, detected: String) {
            self.core = core
            self.source = source
            self.detected = detected
        }
    }

    /// The best OpenBLAS 0.3.21 core this CPU can run, by what its kernels need; nil when the flags
    /// allow nothing better than SSE (OpenBLAS's own choice stands). 0.3.21 as Debian builds it has no
    /// Sapphire Rapids kernels: those CPUs (and AMD Zen 4, both with AVX-512 BF16) get Cooperlake's.
    public static func bestCore(for cpu: CPU) -> String? {
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(cpu.flags.contains)
        if avx512 { return cpu.flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX" }
        if cpu.flags.contains("avx2") && cpu.flags.contains("fma") { return cpu.isAMD ? "Zen" : "Haswell" }
        if cpu.flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// The instruction-set tier a core's kernels use: 1 SSE, 2 AVX, 3 AVX2 + FMA, 4 AVX-512,
    /// 5 AVX-512 BF16, 6 AMX; 0 for a name OpenBLAS 0.3.21 does not know.
    public static func tier(of core: String) -> Int {
        switch core.lowercased() {
        case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington",
             "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat":
            return 1
        case "sandybridge", "bulldozer", "piledriver", "steamroller": return 2
        case "haswell", "excavator", "zen": return 3
        case "skylakex": return 4
        case "cooperlake": return 5
        case "sapphirerapids": return 6
        default: return 0
        }
    }

    /// Decides which core to run: the user's `OPENBLAS_CORETYPE` if set; else OpenBLAS's own pick
    /// unless the CPU supports a higher tier than it, in which case `bestCore(for:)`.
    public static func choose(cpu: CPU?, detected: String, userCoreType: String?) -> Choice {
        if let user = userCoreType, !user.isEmpty { return Choice(core: detected, source: .user, detected: detected) }
        guard let cpu, let best = bestCore(for: cpu), tier(of: best) > tier(of: detected) else {
            return Choice(core: detected, source: .openBLAS, detected: detected)
        }
        return Choice(core: best, source: .engine, detected: detected)
    }

    /// The decision applied on this machine (made once, before the first BLAS call).
    public static var current: Choice { prepared }

    /// One line for logs and `ganlab bench`: the kernels in use and why, e.g.
    /// "OpenBLAS 0.3.21 core Zen (openblas: detected Zen; CPU AMD EPYC, avx2 fma)".
    public static var description: String {
        let choice = current, cpu = CPU.current()
        let why: String
        switch choice.source {
        case .user: why = "set by OPENBLAS_CORETYPE"
        case .openBLAS: why = "OpenBLAS's own detection"
        case .engine: why = "chosen by the engine; OpenBLAS detected \(choice.detected)"
        }
        let features = ["avx512_bf16", "avx512f", "avx2", "fma", "avx"].filter { cpu?.flags.contains($0) ?? false }
        let machine = cpu.map { "; CPU \($0.modelName), \(features.joined(separator: " "))" } ?? ""
        return "\(GEMM.openBLASVersion) core \(GEMM.openBLASCoreName) (\(why)\(machine))"
    }

    /// Makes the choice and applies it; runs once (Swift initialises a static `let` exactly once,
    /// thread-safely), from `GEMM.blasMultiply` before OpenBLAS computes anything.
    static let prepared: Choice = {
        let detected = GEMM.openBLASCoreName
        var choice = choose(cpu: CPU.current(), detected: detected, userCoreType: getenv("OPENBLAS_CORETYPE").map { String(cString: $0) })
        if choice.source == .engine {
            if let now = GEMM.reselectOpenBLASKernels(coreType: choice.core), now.lowercased() == choice.core.lowercased() {
                choice.core = now
            } else {
                choice = Choice(core: GEMM.openBLASCoreName, source: .openBLAS, detected: detected)
            }
        }
        return choice
    }()
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
