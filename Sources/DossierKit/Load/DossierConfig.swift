import Yams

/// `dossier.yml`: the dossier's title and settings.
public struct DossierConfig: Sendable {
    public var title = "Dossier"
    public var subtitle: String?
    public var description: String?
    public var language = "en"
    public var baseURL: String?
    public var allowHTML = false

    static let knownKeys = ["title", "subtitle", "description", "language", "base_url", "allow_html"]

    public init() {}

    /// Reads the file; problems are returned as diagnostics and defaults kept.
    public static func read(_ file: ContentFile?) -> (DossierConfig, [Diagnostic]) {
        var config = DossierConfig()
        guard let file else { return (config, []) }
        var diagnostics: [Diagnostic] = []
        let lines = TextLines(file.text)
        func location(_ mark: Mark?) -> SourceLocation {
            let line = mark?.line ?? 1
            return SourceLocation(file: file.displayPath, line: line, column: lines.column(line: line, scalarColumn: mark?.column ?? 1))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: file.text)
        } catch let error as YamlError {
            let problem = YAMLProblem(error)
            return (config, [.error(location(problem.mark), "YAML syntax error: \(problem.message)",
                                    notes: ["check quotes, colons and indentation near this position"])])
        } catch {
            return (config, [.error(location(nil), "cannot read dossier.yml: \(error)")])
        }
        guard let mapping = node?.mapping else {
            if node != nil {
                diagnostics.append(.error(location(node?.mark), "dossier.yml must be a mapping of keys to values",
                                          notes: ["e.g. 'title: The Mostefaï dossier'"]))
            }
            return (config, diagnostics)
        }
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let text = value.scalar?.string
            switch key {
            case "title": config.title = text ?? config.title
            case "subtitle": config.subtitle = text
            case "description": config.description = text
            case "base_url": config.baseURL = text
            case "language":
                if let text, ["en", "fr"].contains(text) {
                    config.language = text
                } else {
                    diagnostics.append(.error(location(value.mark), "unsupported language '\(text ?? "")'", notes: ["use 'en' or 'fr'"]))
                }
            case "allow_html":
                switch text {
                case "true": config.allowHTML = true
                case "false": config.allowHTML = false
                default: diagnostics.append(.error(location(value.mark), "allow_html must be true or false"))
                }
            default:
                let suggestion = Suggest.closest(to: key, among: knownKeys, maxDistance: 2)
                diagnostics.append(.warning(location(keyNode.mark), "unknown key '\(key)' in dossier.yml",
                                            notes: [suggestion.map { "did you mean '\($0)'?" } ?? "known keys: " + knownKeys.joined(separator: ", ")]))
            }
        }
        return (config, diagnostics)
    }
}
