import Testing

@testable import EngramStore

/// SHA-1 against the test vectors of FIPS 180-2 and RFC 3174, since Anki's `notes.csum` (the
/// first 32 bits of the digest of a note's first field) must match what Anki computes.
@Suite struct SHA1Tests {
  static func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
  }

  @Test(arguments: [
    ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
  ])
  func `published vectors`(message: String, digest: String) {
    #expect(Self.hex(SHA1.digest(Array(message.utf8))) == digest)
  }

  @Test func `a million a's (FIPS 180-2's long vector, many blocks)`() {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(Self.hex(SHA1.digest(message)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
  }

  @Test func `messages of 55, 56 and 64 bytes pad across the block boundary correctly`() {
    // 55 bytes fit the length in the same block; 56 need a second block; 64 fill one exactly.
    // Digests from Python's hashlib.sha1.
    #expect(
      Self.hex(SHA1.digest([UInt8](repeating: 0x61, count: 55))) == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
    #expect(
      Self.hex(SHA1.digest([UInt8](repeating: 0x61, count: 56))) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
    #expect(
      Self.hex(SHA1.digest([UInt8](repeating: 0x61, count: 64))) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
  }
}
