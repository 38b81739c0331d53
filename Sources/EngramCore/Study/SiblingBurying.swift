/// Which siblings wait for the next day once a card of their note is answered (or already
/// in today's queue): Anki's three bury options, with interday learning cards included.
///
/// Siblings are the cards of one note: the blanks of a cloze, a reversed pair, the template
/// cards of an imported Anki note. Seeing one gives the others away, so by default only one
/// of them is studied per day. Nothing is logged: the queue derives it from the log.
public struct SiblingBurying: Sendable, Equatable {
  /// New siblings wait.
  public var new: Bool
  /// Review siblings wait.
  public var review: Bool
  /// Learning and relearning siblings last answered on an earlier day wait (those answered
  /// today are on short steps and always stay).
  public var interdayLearning: Bool

  public init(new: Bool, review: Bool, interdayLearning: Bool) {
    self.new = new
    self.review = review
    self.interdayLearning = interdayLearning
  }

  /// Every kind of sibling waits (the default).
  public static let all = SiblingBurying(new: true, review: true, interdayLearning: true)
  /// Siblings are studied like unrelated cards.
  public static let none = SiblingBurying(new: false, review: false, interdayLearning: false)
}
