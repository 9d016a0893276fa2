/// One problem in a prompt file, at `file:line:column`, with a stable code.
public struct PromptDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// Stable id, e.g. `P001` (catalog in `PromptDiagnostic.Code`).
    public var code: String
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, code: String, message: String) {
        self.file = file; self.line = line; self.column = column; self.code = code; self.message = message
    }

    /// `FILE:LINE:COLUMN: error: [CODE] message`, the form every Intake diagnostic takes.
    public var description: String { "\(file):\(line):\(column): error: [\(code)] \(message)" }

    /// The diagnostic catalog.
    public enum Code {
        public static let unknownPlaceholder = "P001"
        public static let unterminatedPlaceholder = "P002"
        public static let badPlaceholderName = "P003"
        public static let unknownSection = "P004"
        public static let duplicateSection = "P005"
        public static let textOutsideSection = "P006"
        public static let missingUserSection = "P007"
        public static let fileTooLarge = "P008"
        public static let unreadable = "P009"
    }
}

/// The one error type of the Prompts module.
public enum PromptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One or more prompt files are invalid; all problems found in one pass.
    case invalid([PromptDiagnostic])
    /// `render` was not given a value for these placeholders of the template.
    case missingValues(template: String, names: [String])
    /// The prompt directory could not be listed.
    case directory(path: String, message: String)

    public var description: String {
        switch self {
        case .invalid(let d): d.map(\.description).joined(separator: "\n")
        case .missingValues(let t, let names): "prompt '\(t)': no value for \(names.map { "{{\($0)}}" }.joined(separator: ", "))"
        case .directory(let path, let message): "\(path): \(message)"
        }
    }
}
