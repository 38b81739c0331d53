/// A problem the user can fix, reported on stderr with exit status 1.
public struct UserError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// A command line that makes no sense, said in words (exit status 2, like a parse error), for
/// mistakes the parser cannot phrase well, such as `scenario foo` where `list` is the default.
public struct UsageError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
