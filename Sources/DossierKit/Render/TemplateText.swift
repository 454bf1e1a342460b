import Mustache

/// A piece of text in a template context. swift-mustache renders a plain `String` only
/// after three failed casts and `String(describing:)`, and walks past one on the context
/// stack by reflecting on it (`Mirror`); a value that renders itself and has no fields
/// costs one cast each time. It renders as its string: escaped by `{{name}}`, as it is
/// by `{{{name}}}`, and a section over it (`{{#summary}}…`) is shown, even when empty,
/// exactly as for a `String`.
struct TemplateText: MustacheCustomRenderable, MustacheParent, Sendable {
    let string: String

    init(_ string: String) { self.string = string }
    init(_ number: Int) { string = String(number) }

    var renderText: String { string }
    var isNull: Bool { false }
    func child(named: String) -> Any? { nil }
}
