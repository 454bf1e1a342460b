import Foundation
import Mustache

/// The Mustache templates of `Templates/`, parsed once. Syntax errors and partials that
/// do not exist are reported with the template's file, line and column.
public struct TemplateSet: Sendable {
    let library: MustacheLibrary
    /// The same templates compiled for typed contexts; nil when one of them uses a
    /// feature only swift-mustache renders (see CompiledTemplates).
    let compiled: CompiledTemplates?
    /// Changes whenever any template's text does (part of every page digest).
    public let fingerprint: String
    public static let required = ["layout", "home", "list", "timeline", "entry", "404"] + PageBuilder.fragmentPartials

    public static func load(from folder: URL, displayPath: String) -> (TemplateSet?, [Diagnostic]) {
        let escaping = ByteEscapedHTML.registered
        var diagnostics: [Diagnostic] = []
        var templates: [String: MustacheTemplate] = [:]
        var texts: [String: String] = [:]
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let name = String(file.dropLast(".mustache".count))
            let display = "\(displayPath)/\(file)"
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else {
                diagnostics.append(.error(SourceLocation(file: display, line: 1, column: 1), "cannot read template as UTF-8"))
                continue
            }
            do {
                templates[name] = try MustacheTemplate(string: escaping.pragma + text)
                texts[name] = text
            } catch let error as MustacheTemplate.ParserError {
                // The pragma line is ours: lines are counted in the editor's file.
                let line = max(1, error.context.lineNumber - 1)
                diagnostics.append(.error(
                    SourceLocation(file: display, line: line, column: error.context.columnNumber),
                    "template syntax error: \(error.error)",
                    notes: ["near: \(error.context.line.trimmingCharacters(in: .whitespaces))"]))
            } catch {
                diagnostics.append(.error(SourceLocation(file: display, line: 1, column: 1), "template error: \(error)"))
            }
        }
        for name in required where templates[name] == nil && texts[name] == nil
            && !diagnostics.contains(where: { $0.location.file.hasSuffix("/\(name).mustache") }) {
            diagnostics.append(.error(SourceLocation(file: "\(displayPath)/\(name).mustache", line: 1, column: 1),
                                      "missing template '\(name).mustache'", notes: ["every site needs: " + required.map { $0 + ".mustache" }.joined(separator: ", ")]))
        }
        // swift-mustache renders an unknown partial as nothing; an editor wants to know.
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            for (partial, line, column) in partialNames(in: text) where templates[partial] == nil {
                diagnostics.append(.error(SourceLocation(file: "\(displayPath)/\(name).mustache", line: line, column: column),
                                          "unknown partial '\(partial)'",
                                          notes: ["create \(displayPath)/\(partial).mustache or fix the name"]))
            }
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (TemplateSet(library: MustacheLibrary(templates: templates), compiled: CompiledTemplates(templates),
                            fingerprint: PageDigest.of(templates: texts)), diagnostics)
    }

    /// `{{> name}}` and `{{< name}}` tags with their 1-based line and column.
    static func partialNames(in text: String) -> [(String, Int, Int)] {
        var found: [(String, Int, Int)] = []
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let open = rest.range(of: "{{") {
                let tag = rest[open.upperBound...]
                guard let first = tag.first, first == ">" || first == "<", let close = tag.range(of: "}}") else {
                    rest = tag
                    continue
                }
                let name = tag[tag.index(after: tag.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                found.append((name, lineIndex + 1, line.distance(from: line.startIndex, to: open.lowerBound) + 1))
                rest = tag[close.upperBound...]
            }
        }
        return found
    }

    /// Templates from their texts, parsed as `load` parses files (no checks of names).
    init(texts: [String: String]) throws {
        let escaping = ByteEscapedHTML.registered
        let templates = try texts.mapValues { try MustacheTemplate(string: escaping.pragma + $0) }
        self.init(library: MustacheLibrary(templates: templates), compiled: CompiledTemplates(templates),
                  fingerprint: PageDigest.of(templates: texts))
    }

    private init(library: MustacheLibrary, compiled: CompiledTemplates?, fingerprint: String) {
        self.library = library
        self.compiled = compiled
        self.fingerprint = fingerprint
    }

    /// A page or fragment, as the bytes of its file.
    func render(_ context: TemplateObject, template: String) -> [UInt8] {
        var out: [UInt8] = []
        render(context, template: template, into: &out)
        return out
    }

    /// The same, appended to `out` (a buffer kept from page to page).
    func render(_ context: TemplateObject, template: String, into out: inout [UInt8]) {
        if let compiled { return compiled.render(context, template: template, into: &out) }
        out += renderWithSwiftMustache(context, template: template)
    }

    /// What swift-mustache itself makes of the same context: the renderer of template
    /// sets the compiled one does not take, and the reference it is tested against.
    func renderWithSwiftMustache(_ context: TemplateObject, template: String) -> [UInt8] {
        Array((library.render(TemplateValue.object(context).mustacheValue, withTemplate: template) ?? "").utf8)
    }

    /// The same set rendered by swift-mustache alone.
    var withoutCompiling: TemplateSet { TemplateSet(library: library, compiled: nil, fingerprint: fingerprint) }
}

/// HTML escaping for `{{name}}`, byte by byte (`HTML.escape`). swift-mustache's own
/// escaper compares whole Characters, so a `"` or `<` followed by a combining mark is one
/// Character and slips through unescaped (a `"` that ends an attribute), and it was also
/// the largest single cost of rendering. Every template starts with a standalone pragma
/// line selecting this content type, so the escaping stays inside swift-mustache.
struct ByteEscapedHTML: MustacheContentType {
    static let name = "DOSSIER_HTML"
    let pragma = "{{% CONTENT_TYPE: \(ByteEscapedHTML.name) }}\n"

    func escapeText(_ text: String) -> String { HTML.escape(text) }

    /// Registered once, before the first template is parsed (the parser looks it up).
    static let registered: ByteEscapedHTML = {
        MustacheContentTypes.register(ByteEscapedHTML(), named: name)
        return ByteEscapedHTML()
    }()
}
