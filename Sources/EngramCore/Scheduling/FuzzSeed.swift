/// Deterministic fuzz draws, so that replaying the log always reproduces the same intervals.
///
/// py-fsrs draws fuzz from a global random generator; Engram derives it from the card key and
/// the day (UTC) of the review time instead, which keeps the distribution uniform while making
/// replay repeatable. The review screen draws it for the moment it computes a card's next
/// states and logs the rating at that moment (`NextStates`), so replay draws the same value
/// even when the rating itself comes after midnight.
public enum FuzzSeed {
  /// A uniform value in [0, 1) for this card and review instant.
  public static func draw(card: String, time: Timestamp) -> Double {
    draw(keyHash: keyHash(card), time: time)
  }

  /// The card's part of every draw (FNV-1a over its key): a replay computes it once per card
  /// instead of once per review.
  public static func keyHash(_ card: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in card.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// The draw for a card whose `keyHash` is given, mixed with the day (UTC) of `time` through
  /// SplitMix64's finaliser.
  public static func draw(keyHash hash: UInt64, time: Timestamp) -> Double {
    let day = time.milliseconds >= 0 ? time.milliseconds / 86_400_000 : (time.milliseconds + 1) / 86_400_000 - 1
    var z = (hash ^ UInt64(bitPattern: day)) &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    z ^= z >> 31
    return Double(z >> 11) / Double(UInt64(1) << 53)
  }
}
