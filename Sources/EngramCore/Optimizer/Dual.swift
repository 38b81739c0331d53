import Foundation

/// A number carrying its gradient with respect to the 21 FSRS parameters (forward-mode
/// automatic differentiation).
///
/// Why forward mode: FSRS has only 21 parameters and each review is a short chain of scalar
/// operations, so carrying 21 partial derivatives alongside every value gives exact gradients
/// in a single pass, with no tape to record; the partials live in one SIMD register group, so
/// each operation is a handful of vector instructions.
public struct Dual: Sendable {
  public var value: Double
  public var gradient: Partials

  @inlinable public init(_ value: Double, gradient: Partials) {
    self.value = value
    self.gradient = gradient
  }

  /// A constant: no gradient.
  @inlinable public init(_ value: Double) {
    self.value = value
    self.gradient = .zero
  }

  /// The `index`-th parameter itself: derivative 1 with respect to itself.
  @inlinable @inline(__always) public static func parameter(_ value: Double, index: Int) -> Dual {
    var gradient = Partials.zero
    gradient[index] = 1
    return Dual(value, gradient: gradient)
  }

  @inlinable @inline(__always) public static func + (a: Dual, b: Dual) -> Dual {
    Dual(a.value + b.value, gradient: a.gradient + b.gradient)
  }
  @inlinable @inline(__always) public static func - (a: Dual, b: Dual) -> Dual {
    Dual(a.value - b.value, gradient: a.gradient - b.gradient)
  }
  @inlinable @inline(__always) public static func * (a: Dual, b: Dual) -> Dual {
    Dual(a.value * b.value, gradient: a.gradient * b.value + b.gradient * a.value)
  }
  @inlinable @inline(__always) public static func / (a: Dual, b: Dual) -> Dual {
    let inverse = 1 / b.value
    return Dual(a.value * inverse, gradient: (a.gradient - b.gradient * (a.value * inverse)) * inverse)
  }
  @inlinable @inline(__always) public static func + (a: Dual, b: Double) -> Dual {
    Dual(a.value + b, gradient: a.gradient)
  }
  @inlinable @inline(__always) public static func - (a: Dual, b: Double) -> Dual {
    Dual(a.value - b, gradient: a.gradient)
  }
  @inlinable @inline(__always) public static func + (a: Double, b: Dual) -> Dual {
    Dual(a + b.value, gradient: b.gradient)
  }
  @inlinable @inline(__always) public static func - (a: Double, b: Dual) -> Dual {
    Dual(a - b.value, gradient: -b.gradient)
  }
  @inlinable @inline(__always) public static func * (a: Dual, b: Double) -> Dual {
    Dual(a.value * b, gradient: a.gradient * b)
  }
  @inlinable @inline(__always) public static func / (a: Dual, b: Double) -> Dual {
    Dual(a.value / b, gradient: a.gradient * (1 / b))
  }
  @inlinable @inline(__always) public static func / (a: Double, b: Dual) -> Dual {
    let result = a / b.value
    return Dual(result, gradient: b.gradient * (-result / b.value))
  }
  @inlinable public static prefix func - (a: Dual) -> Dual { Dual(-a.value, gradient: -a.gradient) }

  @inlinable @inline(__always) public static func exp(_ a: Dual) -> Dual {
    let e = Foundation.exp(a.value)
    return Dual(e, gradient: a.gradient * e)
  }

  @inlinable @inline(__always) public static func log(_ a: Dual) -> Dual {
    Dual(Foundation.log(a.value), gradient: a.gradient / a.value)
  }

  /// a^b for a > 0, both carrying gradients.
  @inlinable @inline(__always) public static func pow(_ a: Dual, _ b: Dual) -> Dual {
    let result = Foundation.pow(a.value, b.value)
    let logA = Foundation.log(a.value)
    return Dual(result, gradient: a.gradient * (b.value * result / a.value) + b.gradient * (result * logA))
  }

  /// a^b for a constant base a > 0.
  @inlinable @inline(__always) public static func pow(_ a: Double, _ b: Dual) -> Dual {
    let result = Foundation.pow(a, b.value)
    return Dual(result, gradient: b.gradient * (result * Foundation.log(a)))
  }

  /// a^b for a constant exponent.
  @inlinable @inline(__always) public static func pow(_ a: Dual, _ b: Double) -> Dual {
    let result = Foundation.pow(a.value, b)
    return Dual(result, gradient: a.gradient * (b * result / a.value))
  }
}

extension Dual: ModelScalar {
  @inline(__always) static func exponential(_ a: Dual) -> Dual { exp(a) }
  @inline(__always) static func power(_ a: Dual, _ b: Dual) -> Dual { pow(a, b) }
  @inline(__always) static func power(_ a: Double, _ b: Dual) -> Dual { pow(a, b) }
}

/// The 21 partial derivatives, held as three 8-lane vectors (24 lanes, 3 unused): each maps to
/// one vector register, which the compiler handles far better than a 32-lane generic SIMD type.
public struct Partials: Sendable {
  public var low: SIMD8<Double>
  public var middle: SIMD8<Double>
  public var high: SIMD8<Double>

  @inlinable @inline(__always) public init(low: SIMD8<Double>, middle: SIMD8<Double>, high: SIMD8<Double>) {
    self.low = low
    self.middle = middle
    self.high = high
  }

  public static let zero = Partials(low: .zero, middle: .zero, high: .zero)

  @inlinable public subscript(index: Int) -> Double {
    get { index < 8 ? low[index] : index < 16 ? middle[index - 8] : high[index - 16] }
    set {
      if index < 8 {
        low[index] = newValue
      } else if index < 16 {
        middle[index - 8] = newValue
      } else {
        high[index - 16] = newValue
      }
    }
  }

  @inlinable @inline(__always) public static func + (a: Partials, b: Partials) -> Partials {
    Partials(low: a.low + b.low, middle: a.middle + b.middle, high: a.high + b.high)
  }
  @inlinable @inline(__always) public static func - (a: Partials, b: Partials) -> Partials {
    Partials(low: a.low - b.low, middle: a.middle - b.middle, high: a.high - b.high)
  }
  @inlinable @inline(__always) public static func * (a: Partials, b: Double) -> Partials {
    Partials(low: a.low * b, middle: a.middle * b, high: a.high * b)
  }
  @inlinable @inline(__always) public static func / (a: Partials, b: Double) -> Partials {
    Partials(low: a.low / b, middle: a.middle / b, high: a.high / b)
  }
  @inlinable @inline(__always) public static prefix func - (a: Partials) -> Partials {
    Partials(low: -a.low, middle: -a.middle, high: -a.high)
  }
}
