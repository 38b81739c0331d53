@testable import EngramCore

/// Builds timestamps from readable text in tests.
func at(_ text: String) -> Timestamp {
  guard let time = ISO8601.parse(text) else { fatalError("bad test time \(text)") }
  return time
}

func review(_ card: String, _ rating: Rating, _ time: String) -> ReviewEvent {
  ReviewEvent(time: at(time), card: card, action: .review(rating), durationMilliseconds: 1000)
}

func event(_ action: ReviewEvent.Action, _ card: String, _ time: String) -> ReviewEvent {
  ReviewEvent(time: at(time), card: card, action: action)
}

/// Settings with fuzz off, so expectations follow directly from the FSRS formulas.
let plainSettings = SchedulerSettings(enableFuzz: false)
