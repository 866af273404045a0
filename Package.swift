// swift-tools-version:6.0
import PackageDescription

/// ganlab: `ganlab -> GANLab -> {GANEngine -> CBLAS, WebServer -> CSHA1}`.
/// GANEngine and WebServer never import each other; GANLab is the only module that knows both.
let swift5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

/// The engine's small matrix kernels use `SIMD8<Float>`: built for Haswell (AVX2 + FMA: every
/// x86 server CPU since 2013) they run 8 lanes wide with FMA instead of two SSE halves
/// (docs/engine.md, "Speed"). Release builds only, so debug builds run anywhere.
#if arch(x86_64)
let engineSettings: [SwiftSetting] = swift5 + [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
#else
let engineSettings: [SwiftSetting] = swift5
#endif

let package = Package(
    name: "ganlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ganlab", targets: ["ganlab"]),
        .library(name: "GANEngine", targets: ["GANEngine"]),
        .library(name: "WebServer", targets: ["WebServer"]),
        .library(name: "LabClient", targets: ["LabClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CSHA1",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CEpoll"),
        .systemLibrary(name: "CRandom"),
        .target(
            name: "GANEngine",
            dependencies: ["CBLAS"],
            swiftSettings: engineSettings
        ),
        .target(
            name: "WebServer",
            dependencies: ["CSHA1", "CEpoll", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swift5
        ),
        .target(
            name: "GANLab",
            dependencies: ["GANEngine", "WebServer", "CRandom", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swift5
        ),
        .target(name: "LabClient", dependencies: ["WebServer"], swiftSettings: swift5),
        .executableTarget(
            name: "ganlab",
            dependencies: ["GANLab", "GANEngine", "WebServer", "LabClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swift5
        ),
        .testTarget(name: "GANEngineTests", dependencies: ["GANEngine"], swiftSettings: swift5),
        .testTarget(name: "WebServerTests", dependencies: ["WebServer"], swiftSettings: swift5),
        .testTarget(name: "GANLabTests", dependencies: ["GANLab", "GANEngine", "WebServer", "LabClient"], swiftSettings: swift5),
    ]
)
