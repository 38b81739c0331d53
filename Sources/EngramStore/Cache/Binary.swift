#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Little-endian binary encoding for the state cache.
struct BinaryWriter {
  private(set) var bytes: [UInt8] = []

  mutating func u8(_ value: UInt8) { bytes.append(value) }

  mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

  mutating func u64(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
  mutating func int(_ value: Int) { i64(Int64(value)) }
  mutating func double(_ value: Double) { u64(value.bitPattern) }

  mutating func string(_ value: String) {
    var copy = value
    copy.withUTF8 { utf8 in
      varint(UInt64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  /// Bytes as they are (a part already encoded).
  mutating func raw(_ value: UnsafeRawBufferPointer) { bytes.append(contentsOf: value) }

  /// Bytes as `string` writes a string's UTF-8: length first.
  mutating func bytes(_ value: UnsafeRawBufferPointer) {
    varint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// LEB128: small counts take one byte.
  mutating func varint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(rest & 0x7f) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  /// Overwrites eight bytes at `offset` (for sizes known only after writing a section).
  mutating func patch(u64 value: UInt64, at offset: Int) {
    withUnsafeBytes(of: value.littleEndian) { raw in
      for index in 0..<8 { bytes[offset + index] = raw[index] }
    }
  }
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked, so a truncated or corrupt
/// cache yields nil rather than a crash.
struct BinaryReader {
  let bytes: UnsafeRawBufferPointer
  var offset = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  mutating func u8() -> UInt8? {
    guard offset + 1 <= bytes.count else { return nil }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func u64() -> UInt64? {
    guard offset + 8 <= bytes.count else { return nil }
    defer { offset += 8 }
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }

  mutating func int() -> Int? {
    guard let value = i64(), value >= Int64(Int.min), value <= Int64(Int.max) else { return nil }
    return Int(value)
  }

  mutating func double() -> Double? { u64().map { Double(bitPattern: $0) } }

  mutating func string() -> String? {
    guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
    let count = Int(length)
    defer { offset += count }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
  }

  /// Skips a string, returning false when it runs past the end.
  mutating func skipString() -> Bool {
    guard let length = varint(), length <= UInt64(bytes.count - offset) else { return false }
    offset += Int(length)
    return true
  }

  mutating func varint() -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count, shift < 64 {
      let byte = bytes[offset]
      offset += 1
      result |= UInt64(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
    return nil
  }

  mutating func count() -> Int? {
    // Every counted item takes at least one byte: a larger count is damage, and believing it
    // would reserve memory for items that cannot be there.
    guard let value = varint(), value <= UInt64(Int32.max), value <= UInt64(bytes.count - offset) else { return nil }
    return Int(value)
  }
}

/// A read-only memory map of a file: the cache is read in place, without copying.
///
/// Not `Sendable`: the mapping is read and unmapped by the thread that opened the data
/// directory (the snapshot is decoded and used on the command loop, never handed to the
/// loader's background work), so nothing needs to share it, and the compiler keeps it so.
final class MappedFile {
  let bytes: UnsafeRawBufferPointer

  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
    let size = Int(info.st_size)
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
    bytes = UnsafeRawBufferPointer(start: base, count: size)
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
}

/// A fast checksum over whole 8-byte words (and the tail bytes), to notice a damaged cache.
func wordChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
  var hash: UInt64 = 0x9e37_79b9_7f4a_7c15
  let words = bytes.count / 8
  for index in 0..<words {
    let word = bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
    hash = (hash ^ word) &* 0x0000_0100_0000_01b3
    hash ^= hash >> 29
  }
  for index in (words * 8)..<bytes.count {
    hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01b3
  }
  return hash
}

/// FNV-1a, 64-bit: a fast, stable fingerprint (not a security hash).
struct FNV1a {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func add(_ bytes: some Sequence<UInt8>) {
    for byte in bytes {
      value ^= UInt64(byte)
      value = value &* 0x0000_0100_0000_01b3
    }
  }

  mutating func add(_ text: String) { add(text.utf8) }

  mutating func add(_ number: Int64) {
    withUnsafeBytes(of: number.littleEndian) { add($0) }
  }
}
