import EngramTestSupport
import Foundation
import Testing

@testable import EngramStore

/// Where data, line history and the cache live, with and without ENGRAM_HOME.
@Suite struct DataDirectoryTests {
  @Test func `with ENGRAM_HOME everything stays in it`() {
    let directory = DataDirectory.resolve(environment: [
      "ENGRAM_HOME": "/e", "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/c", "HOME": "/h",
    ])
    #expect(
      directory
        == DataDirectory(
          path: "/e", historyPath: "/e/history", cachePath: "/e/state.cache",
          device: DeviceName(given: nil, statePath: "/s/engram/device")))
    // The device name is kept outside the data directory even then: it must not be synced.
    #expect(directory.device.statePath == "/s/engram/device")
  }

  @Test func `without ENGRAM_HOME history and cache follow the XDG directories`() {
    let xdg = DataDirectory.resolve(environment: [
      "XDG_DATA_HOME": "/d", "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/c", "HOME": "/h",
    ])
    #expect(
      xdg
        == DataDirectory(
          path: "/d/engram", historyPath: "/s/engram/history", cachePath: "/c/engram/state.cache",
          device: DeviceName(given: nil, statePath: "/s/engram/device")))
    let defaults = DataDirectory.resolve(environment: ["HOME": "/h"])
    #expect(
      defaults
        == DataDirectory(
          path: "/h/.local/share/engram", historyPath: "/h/.local/state/engram/history",
          cachePath: "/h/.cache/engram/state.cache",
          device: DeviceName(given: nil, statePath: "/h/.local/state/engram/device")))
    // A relative XDG path is ignored, as the specification asks.
    #expect(
      DataDirectory.resolve(environment: ["HOME": "/h", "XDG_CACHE_HOME": "cache"]).cachePath
        == "/h/.cache/engram/state.cache")
  }

  @Test func `an old history and cache in the data directory are moved once`() throws {
    let root = TemporaryDirectory()
    root.write("data/engram/history", "review ml\n")
    root.write("data/engram/state.cache", "old cache")
    let environment = [
      "XDG_DATA_HOME": root.path + "/data", "XDG_STATE_HOME": root.path + "/state",
      "XDG_CACHE_HOME": root.path + "/cache",
    ]
    let directory = DataDirectory.resolve(environment: environment)
    try directory.create()
    #expect(root.read("state/engram/history") == "review ml\n")
    #expect(root.read("cache/engram/state.cache") == "old cache")
    #expect(root.read("data/engram/history") == nil)
    #expect(root.read("data/engram/state.cache") == nil)
    // Once: a file that reappears in the data directory does not replace the moved one.
    root.write("data/engram/history", "stale\n")
    try directory.create()
    #expect(root.read("state/engram/history") == "review ml\n")
  }

  @Test func `a workspace writes its cache in the XDG cache directory`() throws {
    let root = TemporaryDirectory()
    let result = try runEngram(
      ["decks"], home: "",
      environment: [
        "XDG_DATA_HOME": root.path + "/data", "XDG_STATE_HOME": root.path + "/state",
        "XDG_CACHE_HOME": root.path + "/cache",
        "HOME": root.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: root.path + "/cache/engram/state.cache"))
    #expect(!FileManager.default.fileExists(atPath: root.path + "/data/engram/state.cache"))
  }
}
