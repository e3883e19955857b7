// swift-tools-version: 6.1
// LakehouseKit: a pure-Swift, local-first lakehouse.
//
// Layers (dependencies point down only):
//   LakehouseKit (facade) + `lakehouse` CLI
//   Ingest                     CSV/JSON files → inferred schema → Parquet → a dataset, in one commit
//   Catalog                    object stores (folder, memory, S3), Delta Lake tables, dataset registry
//   SQLPlanner                 SQL lexer and parser so far (depends on ColumnarCore only)
//   VectorIndex                distance kernels, exact search, HNSW, persistence
//   OllamaClient               Ollama HTTP API, the Embedder protocol, a built-in offline embedder
//   ParquetKit                 codecs, Thrift, metadata, encodings, reader, writer
//   ColumnarCore               types, buffers, columns, batches, kernels
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LakehouseKit",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "ColumnarCore", targets: ["ColumnarCore"]),
        .library(name: "ParquetKit", targets: ["ParquetKit"]),
        .library(name: "SQLPlanner", targets: ["SQLPlanner"]),
        .library(name: "Catalog", targets: ["Catalog"]),
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "VectorIndex", targets: ["VectorIndex"]),
        .library(name: "OllamaClient", targets: ["OllamaClient"]),
        .library(name: "LakehouseKit", targets: ["LakehouseKit"]),
        .executable(name: "lakehouse", targets: ["LakehouseCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // MARK: System C libraries (compression only)
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        .systemLibrary(
            name: "CSnappy",
            pkgConfig: "snappy",
            providers: [.apt(["libsnappy-dev"]), .brew(["snappy"])]
        ),

        // MARK: Libraries
        .target(
            name: "ColumnarCore",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ParquetKit",
            dependencies: ["ColumnarCore", "CZlib", "CZstd", "CSnappy"],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQLPlanner",
            dependencies: ["ColumnarCore"],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Catalog",
            dependencies: [
                "ColumnarCore", "ParquetKit", "SQLPlanner", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Ingest",
            dependencies: [
                "ColumnarCore", "Catalog",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VectorIndex",
            dependencies: ["ColumnarCore"],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OllamaClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LakehouseKit",
            dependencies: [
                "ColumnarCore", "ParquetKit", "SQLPlanner", "Catalog", "Ingest", "VectorIndex",
                "OllamaClient",
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Command-line tool
        .executableTarget(
            name: "LakehouseCLI",
            dependencies: [
                "LakehouseKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(
            name: "ColumnarCoreTests",
            dependencies: ["ColumnarCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParquetKitTests",
            dependencies: ["ParquetKit", "ColumnarCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SQLPlannerTests",
            dependencies: ["SQLPlanner"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CatalogTests",
            dependencies: ["Catalog"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "Catalog"],
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the test targets (no dependencies).
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VectorIndexTests",
            dependencies: ["VectorIndex", "ColumnarCore", "ParquetKit", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        // A fake Ollama server on loopback that speaks the real wire format (tests only).
        .target(
            name: "OllamaTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/OllamaTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OllamaClientTests",
            dependencies: ["OllamaClient", "OllamaTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LakehouseKitTests",
            dependencies: ["LakehouseKit", "OllamaTestSupport", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
