/// A problem the user can fix, reported on stderr with exit status 1.
public struct UserError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
