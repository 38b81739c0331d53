import Foundation

/// Writes minimal zip files (stored entries) byte by byte, so tests can build packages a
/// well-behaved zip library refuses to make: entries named `../evil` or `/etc/x`, or entries
/// that declare a size they do not have.
public struct ZipWriter {
  public struct Entry {
    public var name: String
    public var data: [UInt8]
    /// The uncompressed size written in the headers; the real size unless a test lies.
    public var declaredSize: UInt32?

    public init(name: String, data: [UInt8], declaredSize: UInt32? = nil) {
      self.name = name
      self.data = data
      self.declaredSize = declaredSize
    }
  }

  public static func archive(_ entries: [Entry]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    for entry in entries {
      let offset = UInt32(out.count)
      let name = Array(entry.name.utf8)
      let crc = crc32(entry.data)
      let size = UInt32(entry.data.count)
      let declared = entry.declaredSize ?? size
      // Local file header.
      out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
      out += le32(crc) + le32(size) + le32(declared) + le16(UInt16(name.count)) + le16(0) + name + entry.data
      // Central directory record.
      central += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
      central += le32(crc) + le32(size) + le32(declared) + le16(UInt16(name.count)) + le16(0) + le16(0)
      central += le16(0) + le16(0) + le32(0) + le32(offset) + name
    }
    let centralOffset = UInt32(out.count)
    out += central
    out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
    out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
    return out
  }

  /// The standard zip checksum (CRC-32, polynomial 0xEDB88320).
  public static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc >> 1) ^ (0xedb8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
  }

  private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
  private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xff) } }
}
