// swift-tools-version: 6.1
// libFuzzer targets for Engram's parsers, kept out of the main package so that ordinary builds
// and tests never link them. `make fuzz` builds them instrumented and runs each.
import Foundation
import PackageDescription

/// A path dependency's identity is its folder's name (the checkout's, whatever it is called).
let engram = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let parsers = ["FuzzDeck", "FuzzLogLine", "FuzzConfig", "FuzzScenario", "FuzzTextImport", "FuzzAnkiPackage"]

let package = Package(
  name: "EngramFuzz",
  dependencies: [.package(path: "..")],
  targets: [.target(name: "FuzzSupport")]
    + parsers.map { name in
      .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "EngramKit", package: engram)],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])],
        // libFuzzer is linked into the fuzz targets only (their entries call its driver); the
        // package's build tool (DeckEmbedder) keeps its own main. Coverage for every module comes
        // from the build command (`make fuzz`: -sanitize=address -sanitize-coverage=...).
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])])
    }
)
