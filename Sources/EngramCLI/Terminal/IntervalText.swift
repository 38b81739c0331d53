import EngramCore

/// Short human text for a wait: `45s`, `10m`, `5h`, `12d`, `3.2mo`, `1.4y`.
public enum IntervalText {
  public static func format(_ interval: Interval) -> String {
    let seconds = Double(max(0, interval.milliseconds)) / 1000
    let minute = 60.0
    let hour = 3600.0
    let day = 86_400.0
    // Each unit ends where its rounded count would reach the next unit, so 59.7 seconds reads
    // "1m", never "60s", and 23.6 hours "1d", never "24h".
    switch seconds {
    case ..<59.5: return "\(Int(seconds.rounded()))s"
    case ..<(59.5 * minute): return "\(Int((seconds / minute).rounded()))m"
    case ..<(23.5 * hour): return "\(Int((seconds / hour).rounded()))h"
    case ..<(29.5 * day): return "\(Int((seconds / day).rounded()))d"
    case ..<(365 * day): return oneDecimal(seconds / (30.4375 * day)) + "mo"
    default: return oneDecimal(seconds / (365.25 * day)) + "y"
    }
  }

  /// A duration spent, like `4m 12s`.
  public static func spent(milliseconds: Int64) -> String {
    let total = max(0, milliseconds / 1000)
    if total < 60 { return "\(total)s" }
    if total < 3600 { return "\(total / 60)m \(total % 60)s" }
    return "\(total / 3600)h \(total % 3600 / 60)m"
  }

  private static func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
  }
}
