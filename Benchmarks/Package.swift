// swift-tools-version: 6.1
// Benchmarks live in their own package so library users never resolve benchmark machinery.
// Run them through the scripts in Scripts/, which measure the peers in the same run.
import PackageDescription

let package = Package(
    name: "LakehouseKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LakehouseKit", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [.product(name: "ColumnarCore", package: "LakehouseKit")]
        ),
        .executableTarget(
            name: "ParquetWriteBenchmark",
            dependencies: [
                .product(name: "ParquetKit", package: "LakehouseKit"),
                .product(name: "ColumnarCore", package: "LakehouseKit"),
            ]
        ),
        .executableTarget(
            name: "ParquetReadBenchmark",
            dependencies: [
                .product(name: "ParquetKit", package: "LakehouseKit"),
                .product(name: "ColumnarCore", package: "LakehouseKit"),
            ]
        ),
        .executableTarget(
            name: "VectorBenchmark",
            dependencies: [.product(name: "VectorIndex", package: "LakehouseKit")]
        ),
        .executableTarget(
            name: "LiveBenchmark",
            dependencies: [
                .product(name: "LakehouseKit", package: "LakehouseKit"),
                .product(name: "Catalog", package: "LakehouseKit"),
                .product(name: "ColumnarCore", package: "LakehouseKit"),
            ]
        ),
    ]
)
