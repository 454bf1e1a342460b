import Foundation

/// Where something is in a file as an editor sees it: 1-based line and column,
/// columns counted in characters (not bytes).
public struct SourceLocation: Sendable, Hashable, Comparable, Codable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = max(line, 1)
        self.column = max(column, 1)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

public enum Severity: String, Sendable, Comparable, Codable {
    case error, warning

    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// A problem found in the content, kept as a value and reported at the end of the run.
public struct Diagnostic: Sendable, Hashable, Codable {
    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// Indented follow-up lines: did-you-mean candidates, the other location of a duplicate, what to do.
    public var notes: [String]

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String, notes: [String] = []) {
        self.severity = severity
        self.location = location
        self.message = message
        self.notes = notes
    }

    public static func error(_ location: SourceLocation, _ message: String, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, location, message, notes: notes)
    }

    public static func warning(_ location: SourceLocation, _ message: String, notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, location, message, notes: notes)
    }

    /// The compiler form editors and IDEs understand: `file:line:col: error: message`.
    public var formatted: String {
        var text = "\(location.description): \(severity.rawValue): \(message)"
        for note in notes { text += "\n    note: \(note)" }
        return text
    }
}

/// Diagnostics of a whole run, sorted for printing: by file, then position, then message.
public struct DiagnosticReport: Sendable {
    public private(set) var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = Array(Set(diagnostics)).sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.message < b.message
        }
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    public var hasErrors: Bool { errorCount > 0 }

    public var summary: String {
        "\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning\(warningCount == 1 ? "" : "s")"
    }

    /// Every diagnostic in compiler form, one after another.
    public var listing: String {
        diagnostics.map(\.formatted).joined(separator: "\n")
    }
}

/// Stages that fail on one file return the diagnostic as their error.
extension Diagnostic: Error {}
