import EngramCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where this machine's device name comes from: the name of its log file `reviews/<device>.tsv`
/// and the first part of every id it writes.
///
/// `ENGRAM_DEVICE` when set; else a name generated once and kept in
/// `$XDG_STATE_HOME/engram/device` (default `~/.local/state/engram/device`), outside the data
/// directory even when `ENGRAM_HOME` is set, so two machines syncing one directory never share
/// it; without a home directory, one derived from the host name and `/etc/machine-id`.
public struct DeviceName: Sendable, Equatable {
  /// `ENGRAM_DEVICE` as given, checked when the name is used.
  let given: String?
  /// The file a generated name is kept in; nil when there is no home directory.
  let statePath: String?

  /// A fixed name (tests, tools that never sync).
  public static func fixed(_ name: String) -> DeviceName { DeviceName(given: name, statePath: nil) }

  /// From `ENGRAM_DEVICE`, `XDG_STATE_HOME` and `HOME`.
  public static func resolve(environment: [String: String]) -> DeviceName {
    if let name = environment["ENGRAM_DEVICE"], !name.isEmpty { return DeviceName(given: name, statePath: nil) }
    var state: String?
    if let value = environment["XDG_STATE_HOME"], value.hasPrefix("/") {
      state = value
    } else if let home = environment["HOME"], !home.isEmpty {
      state = home + "/.local/state"
    }
    return DeviceName(given: nil, statePath: state.map { $0 + "/engram/device" })
  }

  /// Why there is no usable name.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case invalid(name: String, source: String)
    case unavailable(reason: String)

    public var description: String {
      switch self {
      case .invalid(let name, let source):
        "device name '\(name)' (\(source)) is not usable: use 1 to 64 letters, digits, '-' or '_'"
      case .unavailable(let reason):
        "this machine has no device name (\(reason)); set ENGRAM_DEVICE to a name of letters, digits, '-' and '_'"
      }
    }
  }

  /// The name: the given one if valid, else the kept one, generating and keeping it the first
  /// time (the first of two processes racing to create it wins, and both use its name).
  public func name() throws(Failure) -> String {
    if let given {
      guard EventID.isValidDevice(given) else { throw .invalid(name: given, source: "ENGRAM_DEVICE") }
      return given
    }
    guard let statePath else {
      if let derived = DeviceName.derived() { return derived }
      throw .unavailable(reason: "no HOME or XDG_STATE_HOME to keep one in, and no /etc/machine-id")
    }
    if let kept = try DeviceName.read(statePath) { return kept }
    let generated = DeviceName.generate()
    do {
      try POSIXFile.makeDirectories(DataDirectory.parent(of: statePath))
      let temporary = statePath + ".\(getpid()).tmp"
      unlink(temporary)
      let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw FileError.cannotWrite(path: temporary, reason: FileError.reason()) }
      defer { unlink(temporary) }
      do {
        try POSIXFile.writeAll(fd: fd, bytes: Array((generated + "\n").utf8), path: temporary)
        try POSIXFile.sync(fd: fd, path: temporary)
      } catch {
        close(fd)
        throw error
      }
      close(fd)
      // link fails when the name exists: whoever made it first, that name stays.
      if link(temporary, statePath) != 0 && errno != EEXIST {
        throw FileError.cannotWrite(path: statePath, reason: FileError.reason())
      }
    } catch {
      if let derived = DeviceName.derived() { return derived }
      throw .unavailable(reason: "cannot keep one in \(statePath): \(error)")
    }
    guard let kept = try DeviceName.read(statePath) else {
      throw .unavailable(reason: "\(statePath) vanished after it was written")
    }
    return kept
  }

  /// The name kept in `path`, nil when there is none yet.
  private static func read(_ path: String) throws(Failure) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard let bytes = try? POSIXFile.readAll(fd: fd, path: path) else { return nil }
    let text = String(String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { !$0.properties.isWhitespace })
    guard EventID.isValidDevice(text) else { throw .invalid(name: text, source: path) }
    return text
  }

  /// A new name: the host's first label, made safe, and six random hex digits (so two
  /// machines with one host name still differ).
  static func generate() -> String {
    var random = SystemRandomNumberGenerator()
    let suffix = String(UInt32.random(in: 0...0xFF_FFFF, using: &random), radix: 16)
    return hostLabel() + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
  }

  /// The host name's first label with every character that is no letter, digit, `-` or `_`
  /// made a `-`, at most 24 characters; `device` when there is none.
  static func hostLabel() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "device" }
    let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let label = host.split(separator: ".").first.map(String.init) ?? ""
    let safe = String(
      label.unicodeScalars.prefix(24).map { (scalar: Unicode.Scalar) -> Character in
        EventID.isValidDevice(String(Character(scalar))) ? Character(scalar) : "-"
      })
    return safe.isEmpty ? "device" : safe
  }

  /// A name that needs no file: the host label and a hash of the machine id, the same on every
  /// run on this machine.
  ///
  /// - Parameter machineIDs: where the machine id may be (tests point elsewhere).
  static func derived(machineIDs: [String] = ["/etc/machine-id", "/var/lib/dbus/machine-id"]) -> String? {
    for path in machineIDs {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { continue }
      defer { close(fd) }
      guard let bytes = try? POSIXFile.readAll(fd: fd, path: path), !bytes.isEmpty else { continue }
      var hash = FNV1a()
      hash.add(bytes)
      let hex = String(hash.value & 0xFF_FFFF, radix: 16)
      return hostLabel() + "-" + String(repeating: "0", count: 6 - hex.count) + hex
    }
    return nil
  }
}
