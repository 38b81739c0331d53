import EngramCLI
import Foundation

exit(Engram.main(arguments: Array(CommandLine.arguments.dropFirst())))
