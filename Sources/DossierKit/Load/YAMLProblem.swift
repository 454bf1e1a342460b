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
    /// Scalar offset of each "\n" (a file line break).
    private let newlines: [Int]
    private let firstLine: Int

    init(yaml: String, firstLine: Int) {
        scalars = Array(yaml.unicodeScalars)
        var starts = [0]
        var newlines: [Int] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" { newlines.append(index) }
            index += 1
            if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
            switch scalar {
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": starts.append(index)
            default: break
            }
        }
        yamlLineStarts = starts
        self.newlines = newlines
        self.firstLine = firstLine
    }

    /// File line and character column of a libyaml mark (1-based both).
    func location(line: Int, column: Int) -> (line: Int, column: Int) {
        // Past the last line is the end of the front-matter: the closing `---`, one file
        // line after the last (YAML may count more lines: NEL, LS and PS break its lines).
        if line > yamlLineStarts.count { return (firstLine + newlines.count + 1, 1) }
        let lineIndex = max(line - 1, 0)
        let offset = min(yamlLineStarts[lineIndex] + max(column - 1, 0), scalars.count)
        // File lines are counted by "\n" alone: the line breaks before `offset`, found by
        // binary search (every key and list item asks, so no scan from the start).
        var low = 0, high = newlines.count
        while low < high {
            let middle = (low + high) / 2
            if newlines[middle] < offset { low = middle + 1 } else { high = middle }
        }
        let lineStart = low == 0 ? 0 : newlines[low - 1] + 1
        let prefix = scalars[lineStart..<offset]
        // Below U+0300 (no combining marks) and without CR, every scalar is a character.
        if prefix.allSatisfy({ $0.value < 0x300 && $0 != "\r" }) { return (firstLine + low, prefix.count + 1) }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: prefix)
        return (firstLine + low, String(text).count + 1)
    }
}
