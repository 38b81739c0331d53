import EngramTestSupport
import Foundation
import Testing

@testable import EngramCore

/// Replays every review of `../shared/fsrs/vectors.json`, produced by py-fsrs 6.3.2, through our
/// scheduler. Expected values come only from that file.
@Suite struct SchedulerConformanceTests {
  struct Vectors: Decodable {
    struct Config: Decodable {
      let parameters: [Double]
      let desired_retention: Double
      let learning_steps: [Double]
      let relearning_steps: [Double]
      let maximum_interval: Int
    }
    struct After: Decodable {
      let state: Int
      let step: Int?
      let stability: Double
      let difficulty: Double
      let due: String
      let last_review: String
    }
    struct Probe: Decodable {
      let t: String
      let r: Double
    }
    struct Review: Decodable {
      let review_time: String
      let rating: Int
      let retrievability_before: Double?
      let after: After
      let probes: [Probe]
    }
    struct Case: Decodable {
      let id: Int
      let config: String
      let reviews: [Review]
    }
    let configs: [String: Config]
    let cases: [Case]
  }

  static func loadVectors() throws -> Vectors {
    let url = sharedDirectory().appending(path: "fsrs/vectors.json")
    guard let data = FileManager.default.contents(atPath: url.path) else {
      Issue.record(
        "FSRS reference vectors are missing at \(url.path): the conformance test needs ../shared beside the checkout"
      )
      throw CocoaError(.fileNoSuchFile)
    }
    return try JSONDecoder().decode(Vectors.self, from: data)
  }

  static func settings(_ config: Vectors.Config) throws -> SchedulerSettings {
    SchedulerSettings(
      parameters: try Parameters(config.parameters),
      desiredRetention: config.desired_retention,
      learningSteps: config.learning_steps.map { Interval(milliseconds: Int64($0 * 1000)) },
      relearningSteps: config.relearning_steps.map { Interval(milliseconds: Int64($0 * 1000)) },
      maximumInterval: config.maximum_interval,
      enableFuzz: false)
  }

  static func close(_ a: Double, _ b: Double) -> Bool {
    a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
  }

  @Test func `every reference review is reproduced exactly`() throws {
    let vectors = try Self.loadVectors()
    #expect(vectors.cases.count == 240)
    #expect(vectors.configs.count == 12)
    var reviewsChecked = 0
    var probesChecked = 0
    for testCase in vectors.cases {
      let config = try #require(vectors.configs[testCase.config])
      let scheduler = Scheduler(settings: try Self.settings(config))
      var card: CardSchedule?
      for (index, review) in testCase.reviews.enumerated() {
        let where_ = "case \(testCase.id) review \(index)"
        let time = try #require(ISO8601.parse(review.review_time))
        let rating = try #require(Rating(rawValue: review.rating))
        if let before = review.retrievability_before, let card {
          #expect(Self.close(scheduler.retrievability(of: card, at: time), before), "\(where_): R before")
        }
        let next = scheduler.review(card, rating: rating, at: time)
        let after = review.after
        #expect(next.phase.rawValue == after.state, "\(where_): state")
        #expect(next.step == after.step, "\(where_): step")
        #expect(Self.close(next.stability, after.stability), "\(where_): stability \(next.stability) vs \(after.stability)")
        #expect(Self.close(next.difficulty, after.difficulty), "\(where_): difficulty \(next.difficulty) vs \(after.difficulty)")
        #expect(next.due == ISO8601.parse(after.due), "\(where_): due \(next.due) vs \(after.due)")
        #expect(next.lastReview == ISO8601.parse(after.last_review), "\(where_): last review")
        for probe in review.probes {
          let at = try #require(ISO8601.parse(probe.t))
          #expect(Self.close(scheduler.retrievability(of: next, at: at), probe.r), "\(where_): R at \(probe.t)")
          probesChecked += 1
        }
        card = next
        reviewsChecked += 1
      }
    }
    #expect(reviewsChecked == 3451)
    #expect(probesChecked > 3451)
  }
}
