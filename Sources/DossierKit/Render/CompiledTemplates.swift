import Mustache

/// The templates as swift-mustache parsed them, compiled for rendering typed contexts
/// (`TemplateValue`) straight into bytes.
///
/// Why: swift-mustache renders any Swift value, so every tag costs a name split, a walk
/// of the context stack and three to five dynamic casts to its protocols (about 13,500
/// instructions); that was 58 % of a full build's instructions. Here names are split
/// once, when the template is compiled, and a context is read with a `switch`.
///
/// swift-mustache stays the parser: its syntax, errors, standalone-line and
/// inheritance rules are the ones in force. Its token tree is not public, so it is read
/// once per template through `Mirror`; any token shape or feature this renderer does not
/// know (transforms, dynamic partials) makes `init` fail and the whole template set is
/// rendered by swift-mustache instead. Rendering follows swift-mustache 2.1.1's
/// `Template+Render.swift` step for step; a test renders every page of the shipped
/// dossier both ways and finds them identical.
struct CompiledTemplates: Sendable {
    private let templates: [String: [Node]]

    /// Nil when a template uses something only swift-mustache renders.
    init?(_ parsed: [String: MustacheTemplate]) {
        var templates: [String: [Node]] = [:]
        for (name, template) in parsed {
            guard let nodes = Self.nodes(of: template) else { return nil }
            templates[name] = nodes
        }
        self.templates = templates
    }

    /// Appends the rendered template to `out`.
    func render(_ context: TemplateObject, template name: String, into out: inout [UInt8]) {
        var state = RenderState()
        swap(&state.out, &out)
        state.stack.append(.object(context))
        if let nodes = templates[name] { render(nodes, &state, indentation: nil, overrides: nil, escaping: .swiftMustacheDefault) }
        swap(&state.out, &out)
    }

    // MARK: The compiled form

    /// A token. The cases with several fields keep them in an object, so that walking a
    /// template copies a reference per token rather than every field.
    fileprivate enum Node: Sendable {
        case text([UInt8])
        case variable(Name, escaped: Bool)
        case section(Section)
        case partial(Partial)
        /// `{{$name}}default{{/name}}` in a parent template.
        case block(Block)
        indirect case escaping(Escaping)
    }

    fileprivate final class Section: Sendable {
        let name: Name, body: [Node], inverted: Bool
        init(_ name: Name, body: [Node], inverted: Bool) { (self.name, self.body, self.inverted) = (name, body, inverted) }
    }

    fileprivate final class Partial: Sendable {
        let name: String, indentation: String?, overrides: [String: [Node]]?
        init(_ name: String, indentation: String?, overrides: [String: [Node]]?) {
            (self.name, self.indentation, self.overrides) = (name, indentation, overrides)
        }
    }

    fileprivate final class Block: Sendable {
        let name: String, defaultNodes: [Node], indentation: String?
        init(_ name: String, default defaultNodes: [Node], indentation: String?) {
            (self.name, self.defaultNodes, self.indentation) = (name, defaultNodes, indentation)
        }
    }

    /// A tag's name, split at `.` once. No parts means the current object (`{{.}}`);
    /// a name written with a leading dot is looked for in the current object only.
    fileprivate struct Name: Sendable {
        let parts: [TemplateObject.FieldName]
        let climbsStack: Bool

        init(_ text: String) {
            parts = text == "." ? [] : text.split(separator: ".").map { TemplateObject.FieldName(String($0)) }
            climbsStack = !text.hasPrefix(".")
        }
    }

    /// How `{{name}}` escapes: Dossier's byte escaper (the pragma every template starts
    /// with) or another content type, which escapes its own way.
    fileprivate enum Escaping: Sendable {
        case dossierHTML
        case other(any MustacheContentType)

        init(_ contentType: any MustacheContentType) {
            self = contentType is ByteEscapedHTML ? .dossierHTML : .other(contentType)
        }

        /// What every template and partial starts with in swift-mustache (its internal
        /// `HTMLContentType`), taken from a parsed pragma since the type is not public.
        static let swiftMustacheDefault: Escaping = {
            let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: HTML }}")
            let token = template.flatMap { (Mirror(reflecting: $0).descendant("tokens") as? [Any])?.first }
            let contentType = token.flatMap { Mirror(reflecting: $0).children.first?.value as? any MustacheContentType }
            return contentType.map(Escaping.init) ?? .dossierHTML
        }()
    }

    // MARK: Reading swift-mustache's tokens

    private static func nodes(of template: MustacheTemplate) -> [Node]? {
        guard let tokens = Mirror(reflecting: template).descendant("tokens") as? [Any] else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(tokens.count)
        for token in tokens {
            guard let node = node(of: token) else { return nil }
            nodes.append(node)
        }
        return nodes
    }

    /// One token: an enum case whose payload is a value or a tuple of them.
    private static func node(of token: Any) -> Node? {
        guard let (kind, payload) = Mirror(reflecting: token).children.first.map({ ($0.label, $0.value) }) else { return nil }
        let fields = Mirror(reflecting: payload).children.map(\.value)
        func string(_ index: Int) -> String? { index < fields.count ? fields[index] as? String : nil }
        func template(_ index: Int) -> [Node]? {
            guard index < fields.count, let template = fields[index] as? MustacheTemplate else { return nil }
            return nodes(of: template)
        }
        /// Transforms (`{{first(list)}}`) are swift-mustache's own; not compiled.
        var hasNoTransforms: Bool { fields.count > 1 && (fields[1] as? [String])?.isEmpty == true }

        switch kind {
        case "text":
            return (payload as? String).map { .text(Array($0.utf8)) }
        case "variable", "unescapedVariable":
            guard let name = string(0), hasNoTransforms else { return nil }
            return .variable(Name(name), escaped: kind == "variable")
        case "section", "invertedSection":
            guard let name = string(0), hasNoTransforms, let body = template(2) else { return nil }
            return .section(Section(Name(name), body: body, inverted: kind == "invertedSection"))
        case "partial":
            guard let name = string(0), fields.count == 3 else { return nil }
            var overrides: [String: [Node]]?
            if let inherits = fields[2] as? [String: MustacheTemplate] {
                overrides = [:]
                for (block, template) in inherits {
                    guard let nodes = nodes(of: template) else { return nil }
                    overrides?[block] = nodes
                }
            }
            return .partial(Partial(name, indentation: string(1), overrides: overrides))
        case "blockExpansion":
            guard let name = string(0), let defaultNodes = template(1) else { return nil }
            return .block(Block(name, default: defaultNodes, indentation: string(2)))
        case "contentType":
            return (payload as? any MustacheContentType).map { .escaping(Escaping($0)) }
        default:
            // dynamicNamePartial, blockDefinition outside a parent, or a token added later.
            return nil
        }
    }

    // MARK: Rendering

    private struct RenderState {
        var out: [UInt8] = []
        var stack: [TemplateValue] = []

        func lookUp(_ name: Name) -> TemplateValue? {
            guard let first = name.parts.first else { return stack.last }
            var found: TemplateValue?
            if name.climbsStack {
                for object in stack.reversed() {
                    if let child = object.child(first) { found = child; break }
                }
            } else {
                found = stack.last?.child(first)
            }
            for part in name.parts.dropFirst() { found = found?.child(part) }
            return found
        }
    }

    /// One template's tokens. With an indentation (a standalone partial on an indented
    /// line), each token's output that starts a line gets it, as swift-mustache does.
    private func render(_ nodes: [Node], _ state: inout RenderState, indentation: String?, overrides: [String: [Node]]?,
                        escaping: Escaping) {
        var escaping = escaping
        let indented = indentation.map { !$0.isEmpty } ?? false
        let start = state.out.count
        for node in nodes {
            let before = state.out.count
            let startsLine = indented && before > start && state.out[before - 1] == UInt8(ascii: "\n")
            render(node, &state, indentation: indentation, overrides: overrides, escaping: &escaping)
            if startsLine, state.out.count > before { state.out.insert(contentsOf: indentation!.utf8, at: before) }
        }
    }

    private func render(_ node: Node, _ state: inout RenderState, indentation: String?, overrides: [String: [Node]]?,
                        escaping: inout Escaping) {
        switch node {
        case .text(let bytes):
            state.out.append(contentsOf: bytes)
        case .variable(let name, let escaped):
            guard let value = state.lookUp(name) else { return }
            switch value {
            case .text(let text): append(text, escaped ? escaping : nil, to: &state.out)
            case .flag(let flag): state.out.append(contentsOf: (flag ? "true" : "false").utf8)
            case .fragment(let fragment):
                if escaped { append(String(decoding: fragment.bytes, as: UTF8.self), escaping, to: &state.out) } else { state.out.append(contentsOf: fragment.bytes) }
            case .list, .object:
                // swift-mustache would print Swift's description of it; nothing is better.
                break
            }
        case .section(let section):
            let (body, inverted) = (section.body, section.inverted)
            let value = state.lookUp(section.name)
            switch value {
            case .list(let items)?:
                if inverted {
                    guard items.isEmpty else { return }
                    renderPushing(value!, body, &state, indentation, overrides, escaping)
                } else {
                    for item in items { renderPushing(item, body, &state, indentation, overrides, escaping) }
                }
            case .flag(let flag)?:
                if flag != inverted { render(body, &state, indentation: indentation, overrides: overrides, escaping: escaping) }
            case nil:
                if inverted { render(body, &state, indentation: indentation, overrides: overrides, escaping: escaping) }
            case let value?:
                if !inverted { renderPushing(value, body, &state, indentation, overrides, escaping) }
            }
        case .partial(let partial):
            guard let nodes = templates[partial.name] else { return }
            let indentation = partial.indentation.map { (indentation ?? "") + $0 } ?? indentation
            // Blocks already overridden by an enclosing child template keep that override.
            let overrides = partial.overrides.map { overrides?.merging($0) { outer, _ in outer } ?? $0 } ?? overrides
            render(nodes, &state, indentation: indentation, overrides: overrides, escaping: .swiftMustacheDefault)
        case .block(let block):
            let indentation = block.indentation.map { (indentation ?? "") + $0 } ?? indentation
            render(overrides?[block.name] ?? block.defaultNodes, &state, indentation: indentation, overrides: overrides, escaping: escaping)
        case .escaping(let newEscaping):
            escaping = newEscaping
        }
    }

    private func renderPushing(_ value: TemplateValue, _ body: [Node], _ state: inout RenderState,
                               _ indentation: String?, _ overrides: [String: [Node]]?, _ escaping: Escaping) {
        state.stack.append(value)
        render(body, &state, indentation: indentation, overrides: overrides, escaping: escaping)
        state.stack.removeLast()
    }

    private func append(_ text: String, _ escaping: Escaping?, to out: inout [UInt8]) {
        switch escaping {
        case nil: out.append(contentsOf: text.utf8)
        case .dossierHTML?: HTML.escape(text, into: &out)
        case .other(let contentType)?: out.append(contentsOf: contentType.escapeText(text).utf8)
        }
    }
}
