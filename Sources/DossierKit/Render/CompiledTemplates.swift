import Mustache

/// The templates as swift-mustache parsed them, compiled for rendering typed contexts
/// (`TemplateValue`) straight into bytes.
///
/// Why: swift-mustache renders any Swift value, so every tag costs a name split, a walk
/// of the context stack and three to five dynamic casts to its protocols (about 13,500
/// instructions); that was 58 % of a full build's instructions. Here names are split
/// once, when the template is compiled, and a context is read with a `switch`.
///
/// The compiled form is flat: every template's tokens are plain values (`Op`) in one
/// array, and their text is one run of bytes. Walking a template then copies no
/// reference, so the two threads rendering pages do not take turns at the reference
/// counts of the same shared tokens (a fifth of a full build's retains went there).
///
/// swift-mustache stays the parser: its syntax, errors, standalone-line and
/// inheritance rules are the ones in force. Its token tree is not public, so it is read
/// once per template through `Mirror`; any token shape or feature this renderer does not
/// know (transforms, dynamic partials) makes `init` fail and the whole template set is
/// rendered by swift-mustache instead. Rendering follows swift-mustache 2.1.1's
/// `Template+Render.swift` step for step; a test renders every page of the shipped
/// dossier both ways and finds them identical.
struct CompiledTemplates: Sendable {
    private let program: Program
    private let templates: [String: Body]

    /// Nil when a template uses something only swift-mustache renders.
    init?(_ parsed: [String: MustacheTemplate]) {
        var compiler = Compiler()
        var templates: [String: Body] = [:]
        for (name, template) in parsed.sorted(by: { $0.key < $1.key }) {
            guard let body = compiler.body(of: template) else { return nil }
            templates[name] = body
        }
        self.program = Program(compiler)
        self.templates = templates
    }

    /// Appends the rendered template to `out`.
    func render(_ context: TemplateObject, template name: String, into out: inout [UInt8]) {
        var state = RenderState()
        swap(&state.out, &out)
        state.stack.append(.object(context))
        if let body = templates[name] { render(body, &state, indentation: nil, overrides: nil, escaping: .swiftMustacheDefault) }
        swap(&state.out, &out)
    }

    // MARK: The compiled form

    /// A run of tokens in `Program.ops`: a template, a section's body, a block's default.
    fileprivate struct Body: Sendable {
        let start: Int32, count: Int32
    }

    /// A token. Trivially copyable: what it refers to is an index into one of the
    /// program's tables.
    fileprivate enum Op: Sendable {
        /// Bytes `start..<start + count` of `Program.text`.
        case text(start: Int32, count: Int32)
        case variable(name: Int32, escaped: Bool)
        case section(name: Int32, body: Body, inverted: Bool)
        case partial(Int32)
        /// `{{$name}}default{{/name}}` in a parent template.
        case block(Int32)
        case escaping(Int32)
    }

    fileprivate struct Partial {
        let name: String, indentation: String?, overrides: [String: Body]?
    }

    fileprivate struct Block {
        let name: String, defaultBody: Body, indentation: String?
    }

    /// A tag's name, split at `.` once: `parts` of `Program.nameParts`. No parts means the
    /// current object (`{{.}}`); a name written with a leading dot is looked for in the
    /// current object only.
    fileprivate struct Name {
        let start: Int32, count: Int32
        let climbsStack: Bool
    }

    /// How `{{name}}` escapes: Dossier's byte escaper (the pragma every template starts
    /// with) or another content type, which escapes its own way: `Program.contentTypes`
    /// by number, so that the escaping handed to every op is a plain value (as an
    /// existential, copying and freeing it cost as much as the ops that used it).
    fileprivate enum Escaping: Sendable {
        case dossierHTML
        case other(Int32)

        /// What every template and partial starts with in swift-mustache: its internal
        /// `HTMLContentType`, always `Program.contentTypes[0]`.
        static let swiftMustacheDefault: Escaping = defaultContentType == nil ? .dossierHTML : .other(0)

        /// swift-mustache's own `HTMLContentType`, taken from a parsed pragma since the
        /// type is not public.
        static let defaultContentType: (any MustacheContentType)? = {
            let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: HTML }}")
            let token = template.flatMap { (Mirror(reflecting: $0).descendant("tokens") as? [Any])?.first }
            let contentType = token.flatMap { Mirror(reflecting: $0).children.first?.value as? any MustacheContentType }
            return contentType is ByteEscapedHTML ? nil : contentType
        }()
    }

    /// Every table the ops index into; never changed after compiling.
    fileprivate final class Program: @unchecked Sendable {
        // @unchecked: immutable after init; `text` is owned here and freed in deinit.
        let ops: [Op]
        let text: UnsafeMutableBufferPointer<UInt8>
        let names: [Name]
        let nameParts: [TemplateObject.FieldName]
        let partials: [Partial]
        let blocks: [Block]
        let escapings: [Escaping]
        let contentTypes: [any MustacheContentType]

        init(_ compiler: Compiler) {
            ops = compiler.ops
            text = .allocate(capacity: Swift.max(compiler.text.count, 1))
            _ = text.initialize(from: compiler.text)
            names = compiler.names
            nameParts = compiler.nameParts
            partials = compiler.partials
            blocks = compiler.blocks
            escapings = compiler.escapings
            contentTypes = compiler.contentTypes
        }

        deinit { text.deallocate() }
    }

    // MARK: Reading swift-mustache's tokens

    fileprivate struct Compiler {
        var ops: [Op] = []
        var text: [UInt8] = []
        var names: [Name] = []
        var nameParts: [TemplateObject.FieldName] = []
        var partials: [Partial] = []
        var blocks: [Block] = []
        var escapings: [Escaping] = []
        var contentTypes: [any MustacheContentType] = Escaping.defaultContentType.map { [$0] } ?? []

        /// The template's tokens as ops, contiguous in `ops`; the bodies of its sections
        /// and blocks are compiled first, each contiguous too.
        mutating func body(of template: MustacheTemplate) -> Body? {
            guard let tokens = Mirror(reflecting: template).descendant("tokens") as? [Any] else { return nil }
            var compiled: [Op] = []
            compiled.reserveCapacity(tokens.count)
            for token in tokens {
                guard let op = op(of: token) else { return nil }
                compiled.append(op)
            }
            let body = Body(start: Int32(ops.count), count: Int32(compiled.count))
            ops += compiled
            return body
        }

        /// One token: an enum case whose payload is a value or a tuple of them.
        private mutating func op(of token: Any) -> Op? {
            guard let (kind, payload) = Mirror(reflecting: token).children.first.map({ ($0.label, $0.value) }) else { return nil }
            let fields = Mirror(reflecting: payload).children.map(\.value)
            func string(_ index: Int) -> String? { index < fields.count ? fields[index] as? String : nil }
            func template(_ index: Int) -> MustacheTemplate? { index < fields.count ? fields[index] as? MustacheTemplate : nil }
            /// Transforms (`{{first(list)}}`) are swift-mustache's own; not compiled.
            var hasNoTransforms: Bool { fields.count > 1 && (fields[1] as? [String])?.isEmpty == true }

            switch kind {
            case "text":
                guard let string = payload as? String else { return nil }
                let start = Int32(text.count)
                text += string.utf8
                return .text(start: start, count: Int32(text.count) - start)
            case "variable", "unescapedVariable":
                guard let name = string(0), hasNoTransforms else { return nil }
                return .variable(name: self.name(name), escaped: kind == "variable")
            case "section", "invertedSection":
                guard let name = string(0), hasNoTransforms, let template = template(2), let body = body(of: template) else { return nil }
                return .section(name: self.name(name), body: body, inverted: kind == "invertedSection")
            case "partial":
                guard let name = string(0), fields.count == 3 else { return nil }
                var overrides: [String: Body]?
                if let inherits = fields[2] as? [String: MustacheTemplate] {
                    overrides = [:]
                    for (block, template) in inherits.sorted(by: { $0.key < $1.key }) {
                        guard let body = body(of: template) else { return nil }
                        overrides?[block] = body
                    }
                }
                partials.append(Partial(name: name, indentation: string(1), overrides: overrides))
                return .partial(Int32(partials.count - 1))
            case "blockExpansion":
                guard let name = string(0), let template = template(1), let body = body(of: template) else { return nil }
                blocks.append(Block(name: name, defaultBody: body, indentation: string(2)))
                return .block(Int32(blocks.count - 1))
            case "contentType":
                guard let contentType = payload as? any MustacheContentType else { return nil }
                if contentType is ByteEscapedHTML {
                    escapings.append(.dossierHTML)
                } else {
                    contentTypes.append(contentType)
                    escapings.append(.other(Int32(contentTypes.count - 1)))
                }
                return .escaping(Int32(escapings.count - 1))
            default:
                // dynamicNamePartial, blockDefinition outside a parent, or a token added later.
                return nil
            }
        }

        private mutating func name(_ text: String) -> Int32 {
            let parts = text == "." ? [] : text.split(separator: ".").map { TemplateObject.FieldName(String($0)) }
            names.append(Name(start: Int32(nameParts.count), count: Int32(parts.count), climbsStack: !text.hasPrefix(".")))
            nameParts += parts
            return Int32(names.count - 1)
        }
    }

    // MARK: Rendering

    private struct RenderState {
        var out: [UInt8] = []
        var stack: [TemplateValue] = []
    }

    /// The value a name finds: its first part on the nearest level of the context stack
    /// that has it (or on the top one only), then each further part in what was found.
    private func lookUp(_ index: Int32, in stack: [TemplateValue]) -> TemplateValue? {
        let name = program.names[Int(index)]
        guard name.count > 0 else { return stack.last }
        let first = Int(name.start)
        var found: TemplateValue?
        if name.climbsStack {
            var level = stack.count
            while level > 0 {
                level -= 1
                if let child = stack[level].child(program.nameParts[first]) { found = child; break }
            }
        } else {
            found = stack.last?.child(program.nameParts[first])
        }
        for part in first + 1 ..< first + Int(name.count) { found = found?.child(program.nameParts[part]) }
        return found
    }

    /// One template's tokens. With an indentation (a standalone partial on an indented
    /// line), each token's output that starts a line gets it, as swift-mustache does.
    private func render(_ body: Body, _ state: inout RenderState, indentation: String?, overrides: [String: Body]?,
                        escaping: Escaping) {
        var escaping = escaping
        let indented = indentation.map { !$0.isEmpty } ?? false
        let start = state.out.count
        for index in Int(body.start) ..< Int(body.start + body.count) {
            let before = state.out.count
            let startsLine = indented && before > start && state.out[before - 1] == UInt8(ascii: "\n")
            render(program.ops[index], &state, indentation: indentation, overrides: overrides, escaping: &escaping)
            if startsLine, state.out.count > before { state.out.insert(contentsOf: indentation!.utf8, at: before) }
        }
    }

    private func render(_ op: Op, _ state: inout RenderState, indentation: String?, overrides: [String: Body]?,
                        escaping: inout Escaping) {
        switch op {
        case .text(let start, let count):
            state.out.append(contentsOf: UnsafeBufferPointer(rebasing: program.text[Int(start) ..< Int(start + count)]))
        case .variable(let name, let escaped):
            guard let value = lookUp(name, in: state.stack) else { return }
            switch value {
            case .text(let text): append(text, escaped ? escaping : nil, to: &state.out)
            case .markup(let bytes):
                if escaped { append(String(decoding: bytes, as: UTF8.self), escaping, to: &state.out) } else { state.out.append(contentsOf: bytes) }
            case .flag(let flag): state.out.append(contentsOf: (flag ? "true" : "false").utf8)
            case .fragment(let fragment):
                if escaped { append(String(decoding: fragment.bytes, as: UTF8.self), escaping, to: &state.out) } else { fragment.append(to: &state.out) }
            case .list, .object:
                // swift-mustache would print Swift's description of it; nothing is better.
                break
            }
        case .section(let name, let body, let inverted):
            let value = lookUp(name, in: state.stack)
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
        case .partial(let index):
            let partial = program.partials[Int(index)]
            guard let body = templates[partial.name] else { return }
            let indentation = partial.indentation.map { (indentation ?? "") + $0 } ?? indentation
            // Blocks already overridden by an enclosing child template keep that override.
            let overrides = partial.overrides.map { overrides?.merging($0) { outer, _ in outer } ?? $0 } ?? overrides
            render(body, &state, indentation: indentation, overrides: overrides, escaping: .swiftMustacheDefault)
        case .block(let index):
            let block = program.blocks[Int(index)]
            let indentation = block.indentation.map { (indentation ?? "") + $0 } ?? indentation
            render(overrides?[block.name] ?? block.defaultBody, &state, indentation: indentation, overrides: overrides, escaping: escaping)
        case .escaping(let index):
            escaping = program.escapings[Int(index)]
        }
    }

    private func renderPushing(_ value: TemplateValue, _ body: Body, _ state: inout RenderState,
                               _ indentation: String?, _ overrides: [String: Body]?, _ escaping: Escaping) {
        state.stack.append(value)
        render(body, &state, indentation: indentation, overrides: overrides, escaping: escaping)
        state.stack.removeLast()
    }

    private func append(_ text: String, _ escaping: Escaping?, to out: inout [UInt8]) {
        switch escaping {
        case nil: out.append(contentsOf: text.utf8)
        case .dossierHTML?: HTML.escape(text, into: &out)
        case .other(let index)?: out.append(contentsOf: program.contentTypes[Int(index)].escapeText(text).utf8)
        }
    }
}
