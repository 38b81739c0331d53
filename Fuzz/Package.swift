// swift-tools-version: 6.1
// libFuzzer targets for Engram's parsers, kept out of the main package so that ordinary builds
// and tests never link them. `make fuzz` builds them with `--sanitize fuzzer` and runs each.
import PackageDescription

let parsers = ["FuzzDeck", "FuzzLogLine", "FuzzConfig", "FuzzScenario", "FuzzTextImport", "FuzzAnkiPackage"]

let package = Package(
  name: "EngramFuzz",
  dependencies: [.package(path: "..")],
  targets: parsers.map { name in
    .executableTarget(
      name: name,
      dependencies: ["EngramKit"],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
  }
)
