@testable import EngramCore

/// Builds timestamps from readable text in tests.
func at(_ text: String) -> Timestamp {
  guard let time = ISO8601.parse(text) else { fatalError("bad test time \(text)") }
  return time
}

func review(_ card: String, _ rating: Int, _ time: String) -> ReviewEvent {
  ReviewEvent(time: at(time), card: card, rating: rating, durationMilliseconds: 1000, kind: .review)
}

func event(_ kind: ReviewEvent.Kind, _ card: String, _ time: String) -> ReviewEvent {
  ReviewEvent(time: at(time), card: card, rating: 0, kind: kind)
}

/// Settings with fuzz off, so expectations follow directly from the FSRS formulas.
let plainSettings = SchedulerSettings(enableFuzz: false)
