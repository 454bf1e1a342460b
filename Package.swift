// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
        .library(name: "DossierKit", targets: ["DossierKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // SHA-256 for the page digests of the build cache (already in Hummingbird's graph).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Already in the graph through Hummingbird; named so DossierServe may import them.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Debian's libcmark-dev, seen through a shim header.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // A bump allocator for the trees cmark parses while a note is first read (see
        // `CmarkArena.scoped`); written here because cmark's own arena is one global,
        // not one per thread.
        .target(name: "CmarkArena", dependencies: ["CCmark"]),
        // The whole pipeline: load → front-matter → cmark → index → resolve → render → write.
        .target(
            name: "DossierKit",
            dependencies: [
                "CCmark",
                "CmarkArena",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Release builds skip the run-time exclusivity checks on class properties and
            // globals (a tenth of the instructions of decoding the build cache went to
            // them; see Benchmarks/README.md). Debug builds, which the tests run, keep
            // them, so an overlapping access still traps there.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // `dossier serve`: the preview server (Hummingbird), the watcher and live reload.
        // Its own target so the core library never depends on a web server.
        .target(
            name: "DossierServe",
            dependencies: [
                "DossierKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command line: argument parsing and exit codes only.
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierKit",
                "DossierServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc (Debian's libjemalloc-dev) in place of glibc's malloc: a build
            // allocates millions of short-lived strings and arrays on both cores, and
            // jemalloc's per-thread arenas make a 10k-note build ~11% faster (benchmarked;
            // see Benchmarks/README.md). Linked only into the command, not the library.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "DossierKitTests",
            dependencies: [
                "DossierKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DossierServeTests",
            dependencies: ["DossierServe", "DossierKit"]
        ),
    ]
)
