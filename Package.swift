// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Engram",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "engram", targets: ["engram"]),
    // The libraries, for the fuzz targets in Fuzz/ (a package of their own).
    .library(name: "EngramKit", targets: ["EngramCore", "EngramStore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Reading Anki packages (.apkg are zip files).
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    // libedit as a system library; pkg-config finds it once libedit-dev is installed.
    .systemLibrary(
      name: "CLibEdit",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    // A tiny C shim: el_set/history are variadic, which Swift cannot call.
    .target(name: "CLineEdit", dependencies: ["CLibEdit"]),
    // The system SQLite and zstd, for Anki collections (schema 11 and the zstd-compressed 18).
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .target(name: "EngramCore"),
    .executableTarget(name: "DeckEmbedder", path: "Sources/DeckEmbedder"),
    .plugin(
      name: "EmbedDecks",
      capability: .buildTool(),
      dependencies: ["DeckEmbedder"]
    ),
    .target(
      name: "EngramStore",
      dependencies: [
        "EngramCore", "CSQLite", "CZstd",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      plugins: ["EmbedDecks"]
    ),
    .target(
      name: "EngramCLI",
      dependencies: [
        "EngramCore", "EngramStore", "CLineEdit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "engram", dependencies: ["EngramCLI"]),
    // Temporary directories and running the built binary, shared by the test targets.
    .target(name: "EngramTestSupport", path: "Tests/EngramTestSupport"),
    .testTarget(name: "EngramCoreTests", dependencies: ["EngramCore", "EngramTestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "EngramStoreTests", dependencies: ["EngramStore", "EngramCore", "EngramTestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "EngramCLITests", dependencies: ["EngramCLI", "EngramStore", "EngramCore", "EngramTestSupport"]),
  ]
)
