import Foundation

/// A number the FSRS-6 formulas can be evaluated over: a plain `Double` in the scheduler, a
/// `Dual` (value and gradient) in the optimizer.
///
/// Why a protocol: the memory model is written once, in `MemoryModel`, and both the scheduler
/// and the optimizer's loss and predictions run that one copy, so what the optimizer fits is
/// exactly what the scheduler schedules with. Comparisons (clamps, `min`, `max`) look at
/// `value`: a clamped result is a constant, with no gradient, as in fsrs-rs.
protocol ModelScalar: Sendable {
  /// A constant.
  init(_ constant: Double)
  /// The plain number, for comparisons.
  var value: Double { get }

  static func + (a: Self, b: Self) -> Self
  static func - (a: Self, b: Self) -> Self
  static func * (a: Self, b: Self) -> Self
  static func / (a: Self, b: Self) -> Self
  static func + (a: Self, b: Double) -> Self
  static func + (a: Double, b: Self) -> Self
  static func - (a: Self, b: Double) -> Self
  static func - (a: Double, b: Self) -> Self
  static func * (a: Self, b: Double) -> Self
  static func / (a: Self, b: Double) -> Self
  static func / (a: Double, b: Self) -> Self
  static prefix func - (a: Self) -> Self

  /// e raised to `a`.
  static func exponential(_ a: Self) -> Self
  /// `a` raised to `b`, for a positive `a`.
  static func power(_ a: Self, _ b: Self) -> Self
  /// A positive constant raised to `b`.
  static func power(_ a: Double, _ b: Self) -> Self
}

extension ModelScalar {
  /// The smaller of two numbers by value, choosing as the standard library's `min` does.
  @inline(__always) static func minimum(_ x: Self, _ y: Self) -> Self { y.value < x.value ? y : x }

  /// `x`, or `bound` when `x` is below it: `max(x, bound)`, making the constant only when used.
  @inline(__always) static func atLeast(_ x: Self, _ bound: Double) -> Self { bound >= x.value ? Self(bound) : x }

  /// `x`, or `bound` when `x` is above it: `min(x, bound)`, making the constant only when used.
  @inline(__always) static func atMost(_ x: Self, _ bound: Double) -> Self { bound < x.value ? Self(bound) : x }
}

extension Double: ModelScalar {
  var value: Double { self }

  /// e^a computed as `pow(M_E, a)`: what py-fsrs computes (`math.e ** a`), so the scheduler
  /// reproduces the reference implementation bit for bit.
  @inline(__always) static func exponential(_ a: Double) -> Double { Foundation.pow(M_E, a) }

  @inline(__always) static func power(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }
}
