/// A learner's review history shaped for fitting FSRS, as fsrs-rs shapes it.
///
/// Each card's reviews are in time order with `deltaT`, the whole study days since the
/// previous review (0 for same-day reviews, and for the first). Every review after the first
/// whose `deltaT` is positive is a training item: predict recall from the reviews before it.
/// Items carry fsrs-rs's recency weights: ordered by day (then card), item i of n weighs
/// 0.25 + 0.75·(i/(n−1))³, so the newest behaviour counts four times the oldest.
public struct TrainingSet: Sendable {
  public struct Review: Sendable, Equatable {
    public var rating: Rating
    public var deltaT: Int32
    /// The item's recency weight; 0 for reviews that are not items.
    public var weight: Double
    public init(rating: Rating, deltaT: Int32, weight: Double = 0) {
      self.rating = rating
      self.deltaT = deltaT
      self.weight = weight
    }
  }

  /// Review sequences of the cards that contribute at least one item.
  public private(set) var cards: [[Review]]
  /// Number of training items.
  public private(set) var itemCount: Int
  /// Rated reviews in the input, items or not.
  public private(set) var reviewCount: Int

  /// Builds the set from each card's reviews as (study day index, rating), in time order.
  public init(histories: [(card: String, reviews: [(day: Int, rating: Int)])]) {
    var cards: [[Review]] = []
    var itemPlaces: [(day: Int, card: String, index: Int, review: Int)] = []
    var reviews = 0
    // Card order fixes the order of mini-batches: sort, so a fit never depends on hashing.
    for history in histories.sorted(by: { $0.card < $1.card }) {
      guard let first = history.reviews.first else { continue }
      reviews += history.reviews.count
      var sequence: [Review] = []
      sequence.reserveCapacity(history.reviews.count)
      var last = first.day
      var places: [(Int, String, Int, Int)] = []
      for (index, review) in history.reviews.enumerated() {
        let delta = Int32(max(0, review.day - last))
        // Out-of-range ratings count as the nearest rating.
        let rating = Rating(rawValue: max(1, min(4, review.rating))) ?? .again
        sequence.append(Review(rating: rating, deltaT: delta))
        if index > 0 && delta > 0 { places.append((review.day, history.card, cards.count, index)) }
        last = review.day
      }
      if !places.isEmpty {
        cards.append(sequence)
        itemPlaces += places
      }
    }
    itemPlaces.sort { $0.day != $1.day ? $0.day < $1.day : $0.card < $1.card }
    let count = itemPlaces.count
    for (rank, place) in itemPlaces.enumerated() {
      let position = count > 1 ? Double(rank) / Double(count - 1) : 1
      cards[place.index][place.review].weight = 0.25 + 0.75 * position * position * position
    }
    self.cards = cards
    itemCount = count
    reviewCount = reviews
  }

  /// A subset of cards (for mini-batches).
  public func subset(_ range: Range<Int>) -> ArraySlice<[Review]> { cards[range] }
}
