/// Where a reviewed card is in the FSRS state machine; raw values match py-fsrs's `State`.
///
/// A card with no reviews has no phase: Engram calls it new and represents it as a `nil`
/// `CardSchedule`.
public enum Phase: Int, Sendable, CustomStringConvertible {
  case learning = 1
  case review = 2
  case relearning = 3

  public var description: String {
    switch self {
    case .learning: "learning"
    case .review: "review"
    case .relearning: "relearning"
    }
  }
}
