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
      let desiredRetention: Double
      let learningSteps: [Double]
      let relearningSteps: [Double]
      let maximumInterval: Int

      enum CodingKeys: String, CodingKey {
        case parameters
        case desiredRetention = "desired_retention"
        case learningSteps = "learning_steps"
        case relearningSteps = "relearning_steps"
        case maximumInterval = "maximum_interval"
      }
    }
    struct After: Decodable {
      let state: Int
      let step: Int?
      let stability: Double
      let difficulty: Double
      let due: String
      let lastReview: String

      enum CodingKeys: String, CodingKey {
        case state, step, stability, difficulty, due
        case lastReview = "last_review"
      }
    }
    struct Probe: Decodable {
      let t: String
      let r: Double
    }
    struct Review: Decodable {
      let reviewTime: String
      let rating: Int
      let retrievabilityBefore: Double?
      let after: After
      let probes: [Probe]

      enum CodingKeys: String, CodingKey {
        case reviewTime = "review_time"
        case rating
        case retrievabilityBefore = "retrievability_before"
        case after, probes
      }
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
      desiredRetention: config.desiredRetention,
      learningSteps: config.learningSteps.map { Interval(milliseconds: Int64($0 * 1000)) },
      relearningSteps: config.relearningSteps.map { Interval(milliseconds: Int64($0 * 1000)) },
      maximumInterval: config.maximumInterval,
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
        let context = "case \(testCase.id) review \(index)"
        let time = try #require(ISO8601.parse(review.reviewTime))
        let rating = try #require(Rating(rawValue: review.rating))
        if let before = review.retrievabilityBefore, let card {
          #expect(Self.close(scheduler.retrievability(of: card, at: time), before), "\(context): R before")
        }
        let next = scheduler.review(card, rating: rating, at: time)
        let after = review.after
        #expect(next.phase.rawValue == after.state, "\(context): state")
        #expect(next.step == after.step, "\(context): step")
        #expect(
          Self.close(next.stability, after.stability), "\(context): stability \(next.stability) vs \(after.stability)")
        #expect(
          Self.close(next.difficulty, after.difficulty),
          "\(context): difficulty \(next.difficulty) vs \(after.difficulty)")
        #expect(next.due == ISO8601.parse(after.due), "\(context): due \(next.due) vs \(after.due)")
        #expect(next.lastReview == ISO8601.parse(after.lastReview), "\(context): last review")
        for probe in review.probes {
          let at = try #require(ISO8601.parse(probe.t))
          #expect(Self.close(scheduler.retrievability(of: next, at: at), probe.r), "\(context): R at \(probe.t)")
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
