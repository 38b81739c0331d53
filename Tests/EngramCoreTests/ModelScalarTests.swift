import Foundation
import Testing

@testable import EngramCore

/// The numbers the FSRS formulas run over: plain and dual numbers behave alike, and dual
/// numbers carry the derivatives calculus gives.
@Suite struct ModelScalarTests {
  @Test func `atLeast and atMost choose as max and min do`() {
    for (x, bound) in [(0.5, 1.0), (1.0, 1.0), (2.0, 1.0)] {
      #expect(Double.atLeast(x, bound) == max(x, bound))
      #expect(Double.atMost(x, bound) == min(x, bound))
    }
  }

  @Test func `a dual number clamped to its bound loses its gradient and one inside keeps it`() {
    let x = Dual.parameter(0.5, index: 3)
    #expect(Dual.atLeast(x, 1).value == 1)
    #expect(Dual.atLeast(x, 1).gradient[3] == 0)
    #expect(Dual.atLeast(x, 0.1).gradient[3] == 1)
    #expect(Dual.atMost(x, 0.1).gradient[3] == 0)
    #expect(Dual.atMost(x, 1).gradient[3] == 1)
  }

  @Test func `operations with constants carry the derivatives of calculus`() {
    // x = 2, dx = 1: d(3 + x) = 1, d(x / 4) = 1/4, d(3 / x) = −3/x² = −0.75,
    // d(0.9^x) = 0.9^x · ln 0.9, d(e^x) = e^x.
    let x = Dual.parameter(2, index: 0)
    #expect((3 + x).value == 5)
    #expect((3 + x).gradient[0] == 1)
    #expect((x / 4).value == 0.5)
    #expect((x / 4).gradient[0] == 0.25)
    #expect((3 / x).value == 1.5)
    #expect((3 / x).gradient[0] == -0.75)
    #expect(abs(Dual.power(0.9, x).value - 0.81) < 1e-15)
    #expect(abs(Dual.power(0.9, x).gradient[0] - 0.81 * log(0.9)) < 1e-15)
    #expect(abs(Dual.exponential(x).gradient[0] - exp(2)) < 1e-12)
  }

  @Test func `plain exponentials are computed as py-fsrs computes them, e to the power x`() {
    for x in [-3.2, 0.0, 0.0912, 1.8722, 7.5] {
      #expect(Double.exponential(x) == pow(M_E, x))
    }
  }
}
