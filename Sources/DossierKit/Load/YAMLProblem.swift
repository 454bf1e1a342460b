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
