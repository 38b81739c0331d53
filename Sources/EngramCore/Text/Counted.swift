/// A number with its noun in the right form: `1 card`, `2 cards`, `1 lapse`, `0 questions`.
///
/// One place for plurals, so that every screen counts the same way.
public func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
  "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
