import Yams

/// What went wrong in a YAML text, and where (libyaml's 1-based line, scalar column),
/// plus the construct it was reading when it failed (e.g. "while scanning a quoted scalar").
struct YAMLProblem {
    var message: String
    var mark: Mark?
    var context: (text: String, mark: Mark)?

    init(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            message = problem
            self.mark = mark
            // Only worth a note when it points somewhere else than the problem.
            if let context, context.mark.line != mark.line || context.mark.column != mark.column {
                // "while scanning a quoted scalar" → "the quoted scalar"
                var words = context.text.split(separator: " ").map(String.init)
                words.removeAll { ["while", "scanning", "parsing", "a", "an"].contains($0) }
                self.context = ("the " + words.joined(separator: " "), context.mark)
            }
        case .reader(let problem, _, _, _):
            message = problem
        default:
            message = "\(error)"
        }
    }
}

/// Turns libyaml's positions into file positions. libyaml counts lines with YAML's line
/// breaks (also NEL, LS and PS) and columns in Unicode scalars; editors count lines at
/// `\n` and columns in characters.
struct YAMLPositions {
    private let scalars: [Unicode.Scalar]
    /// Scalar offset where each YAML line starts.
    private let yamlLineStarts: [Int]
    private let firstLine: Int

    init(yaml: String, firstLine: Int) {
        scalars = Array(yaml.unicodeScalars)
        var starts = [0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) { starts.append(index) }
        }
        yamlLineStarts = starts
        self.firstLine = firstLine
    }

    /// File line and character column of a libyaml mark (1-based both).
    func location(line: Int, column: Int) -> (line: Int, column: Int) {
        // Past the last line is the end of the front-matter: the closing `---`, one file
        // line after the last (YAML may count more lines: NEL, LS and PS break its lines).
        if line > yamlLineStarts.count { return (firstLine + scalars.count { $0 == "\n" } + 1, 1) }
        let lineIndex = max(line - 1, 0)
        let offset = min(yamlLineStarts[lineIndex] + max(column - 1, 0), scalars.count)
        var fileLine = firstLine
        var lineStart = 0
        for index in 0..<offset where scalars[index] == "\n" {
            fileLine += 1
            lineStart = index + 1
        }
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[lineStart..<offset])
        return (fileLine, String(prefix).count + 1)
    }
}
