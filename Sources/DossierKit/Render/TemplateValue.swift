import Mustache

/// A value in a page's template context: what a template can show (`{{name}}`), test
/// (`{{#name}}…{{/name}}`) or walk through (a list). Typed, so the compiled renderer reads
/// it with a `switch` instead of swift-mustache's dynamic casts.
enum TemplateValue: Sendable {
    /// Text from content or from Dossier: escaped by `{{name}}`, as it is by `{{{name}}}`.
    case text(String)
    /// A flag: a section over it is shown when true (and nothing is pushed).
    case flag(Bool)
    case list([TemplateValue])
    case object(TemplateObject)
    /// Markup rendered once and shared by every page that shows it (see SharedFragment).
    case fragment(SharedFragment)

    static func text(_ number: Int) -> TemplateValue { .text(String(number)) }

    /// A field of this value, as a name in a template finds it.
    func child(named name: String) -> TemplateValue? {
        switch self {
        case .object(let object): object[name]
        case .fragment(let fragment): fragment.context[name]
        case .text, .flag, .list: nil
        }
    }

    /// The same value in the shapes swift-mustache renders natively (see TemplateSet:
    /// templates the compiled renderer does not take are rendered by swift-mustache).
    var mustacheValue: Any {
        switch self {
        case .text(let text): TemplateText(text)
        case .flag(let flag): flag
        case .list(let items): items.map(\.mustacheValue)
        case .object(let object): object.mapValues(\.mustacheValue)
        case .fragment(let fragment): fragment
        }
    }
}

typealias TemplateObject = [String: TemplateValue]

/// Text as swift-mustache sees it: rendered after one cast, with no fields, and shown by a
/// section even when empty, exactly as a `String` would be.
struct TemplateText: MustacheCustomRenderable, MustacheParent, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    var renderText: String { string }
    var isNull: Bool { false }
    func child(named: String) -> Any? { nil }
}
