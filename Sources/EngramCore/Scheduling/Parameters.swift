/// The 21 FSRS-6 model weights, validated against the bounds FSRS-6 allows.
public struct Parameters: Sendable, Equatable {
  /// The weights w0…w20.
  public let weights: [Double]

  /// FSRS-6's default weights (py-fsrs 6.3.2), fitted by its authors on a large public dataset.
  public static let defaults = Parameters(unchecked: [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
  ])

  /// The smallest stability FSRS allows, in days.
  public static let minimumStability = 0.001

  /// Inclusive lower bounds per weight, as FSRS-6 clips them.
  public static let lowerBounds: [Double] = [
    0.001, 0.001, 0.001, 0.001, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001, 0.001, 0.001, 0.001, 0.0,
    0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
  ]
  /// Inclusive upper bounds per weight.
  public static let upperBounds: [Double] = [
    100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9, 4.0, 1.0, 6.0,
    2.0, 2.0, 0.8, 0.8,
  ]

  /// Validates `weights`: exactly 21 finite numbers, each within its FSRS-6 bounds.
  public init(_ weights: [Double]) throws(ParameterError) {
    guard weights.count == 21 else { throw .wrongCount(weights.count) }
    for (index, value) in weights.enumerated() {
      let range = Parameters.lowerBounds[index]...Parameters.upperBounds[index]
      guard value.isFinite, range.contains(value) else {
        throw .outOfBounds(index: index, value: value, range: range)
      }
    }
    self.weights = weights
  }

  private init(unchecked weights: [Double]) { self.weights = weights }

  public subscript(index: Int) -> Double { weights[index] }
}

/// Why a parameter list was rejected.
public enum ParameterError: Error, Equatable, CustomStringConvertible {
  case wrongCount(Int)
  case outOfBounds(index: Int, value: Double, range: ClosedRange<Double>)

  public var description: String {
    switch self {
    case .wrongCount(let count):
      "FSRS-6 needs exactly 21 parameters, got \(count)"
    case .outOfBounds(let index, let value, let range):
      "parameter w\(index) = \(value) is outside its FSRS-6 bounds \(range.lowerBound)...\(range.upperBound)"
    }
  }
}
