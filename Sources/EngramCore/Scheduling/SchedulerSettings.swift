/// Everything the scheduler needs besides a card and a rating.
public struct SchedulerSettings: Sendable, Equatable {
  public var parameters: Parameters
  /// Target probability of recall when a review card comes due (0 < r < 1).
  public var desiredRetention: Double
  public var learningSteps: [Interval]
  public var relearningSteps: [Interval]
  /// Longest review interval, in days.
  public var maximumInterval: Int
  public var enableFuzz: Bool

  public init(
    parameters: Parameters = .defaults, desiredRetention: Double = 0.9,
    learningSteps: [Interval] = [.minutes(1), .minutes(10)], relearningSteps: [Interval] = [.minutes(10)],
    maximumInterval: Int = 36500, enableFuzz: Bool = true
  ) {
    self.parameters = parameters
    self.desiredRetention = desiredRetention
    self.learningSteps = learningSteps
    self.relearningSteps = relearningSteps
    self.maximumInterval = maximumInterval
    self.enableFuzz = enableFuzz
  }
}
