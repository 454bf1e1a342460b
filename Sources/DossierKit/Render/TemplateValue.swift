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
    /// Markup Dossier made itself, as UTF-8 bytes (a rendered body): inserted as it is by
    /// `{{{name}}}`, escaped by `{{name}}` like text.
    case markup([UInt8])

    static func text(_ number: Int) -> TemplateValue { .text(String(number)) }

    /// A field of this value, as a name in a template finds it (`key`: the name as
    /// `TemplateObject.FieldName`, made once when the template was compiled).
    func child(_ key: TemplateObject.FieldName) -> TemplateValue? {
        switch self {
        case .object(let object): object[key]
        case .fragment(let fragment): fragment.context[key]
        case .text, .flag, .list, .markup: nil
        }
    }

    /// The same value in the shapes swift-mustache renders natively (see TemplateSet:
    /// templates the compiled renderer does not take are rendered by swift-mustache).
    var mustacheValue: Any {
        switch self {
        case .text(let text): TemplateText(text)
        case .markup(let bytes): TemplateText(String(decoding: bytes, as: UTF8.self))
        case .flag(let flag): flag
        case .list(let items): items.map(\.mustacheValue)
        case .object(let object):
            Dictionary(object.fields.map { ($0.name, $0.value.mustacheValue) }, uniquingKeysWith: { _, last in last })
        case .fragment(let fragment): fragment
        }
    }
}

/// The named fields of a context object. Found by a scan rather than by hashing: an
/// object holds from one to two dozen fields, a name that misses is looked for again at
/// every level of the context stack, and comparing one precomputed word per field
/// (`FieldName.tag`) costs less than hashing the name for a dictionary at each level.
struct TemplateObject: Sendable, ExpressibleByDictionaryLiteral {
    /// A field's name with a tag made of its length and first and last bytes; names
    /// compare as strings only when their tags are equal.
    struct FieldName: Sendable {
        let name: String
        let tag: Int

        /// One of 64 bits, from the tag.
        var bit: UInt64 { 1 << ((UInt64(bitPattern: Int64(tag)) &* 0x9E37_79B9_7F4A_7C15) >> 58) }

        init(_ name: String) {
            self.name = name
            // On the name's bytes (its UTF8View's `last` walked back through the text).
            let tag = { (bytes: UnsafeBufferPointer<UInt8>) in bytes.count << 16 | Int(bytes.first ?? 0) << 8 | Int(bytes.last ?? 0) }
            self.tag = name.utf8.withContiguousStorageIfAvailable(tag) ?? Array(name.utf8).withUnsafeBufferPointer(tag)
        }
    }

    /// Names and values side by side in one array: a context object is copied into
    /// lists and freed with its page, one buffer to retain and free rather than two.
    private var entries: [(key: FieldName, value: TemplateValue)] = []
    /// The fields of a shared object this one extends (`init(extending:)`), shown where
    /// `entries` has none of that name: a link adds a field or two to an entry's card,
    /// and copying every field of the card to do so was a fifth of the reference counting
    /// in making a page's context.
    private var base: [(key: FieldName, value: TemplateValue)]? = nil
    /// A bit for each name set here or in the base (`FieldName.bit`): a name whose bit is
    /// clear is not looked for in the arrays. Most look-ups of a name an object lacks
    /// (an optional field, a name of an outer level of the context stack) end here,
    /// without reading a shared card that at 50,000 notes is out of the processor's cache.
    private var names: UInt64 = 0

    /// The names of a literal are distinct (each is written once, in Dossier's code).
    init(dictionaryLiteral elements: (String, TemplateValue)...) {
        entries.reserveCapacity(elements.count + 4)
        for (name, value) in elements {
            let key = FieldName(name)
            entries.append((key, value))
            names |= key.bit
        }
    }

    /// An object with every field of `shared`, sharing them rather than copying them;
    /// fields set on it are its own.
    init(extending shared: TemplateObject) {
        base = shared.base == nil ? shared.entries : shared.allEntries
        names = shared.names
    }

    var count: Int { allEntries.count }

    /// Every field, in the order they were first set.
    var fields: [(name: String, value: TemplateValue)] { allEntries.map { ($0.key.name, $0.value) } }

    /// The base's fields, each with this object's value where it set one, then its own others.
    private var allEntries: [(key: FieldName, value: TemplateValue)] {
        guard let base else { return entries }
        var own = entries
        var all = base.map { field in
            guard let found = Self.index(of: field.key, in: own) else { return field }
            return (field.key, own.remove(at: found).value)
        }
        all += own
        return all
    }

    private static func index(of key: FieldName, in entries: [(key: FieldName, value: TemplateValue)]) -> Int? {
        entries.firstIndex { $0.key.tag == key.tag && $0.key.name == key.name }
    }

    subscript(key: FieldName) -> TemplateValue? {
        guard names & key.bit != 0 else { return nil }
        if let found = Self.index(of: key, in: entries) { return entries[found].value }
        guard let base, let found = Self.index(of: key, in: base) else { return nil }
        return base[found].value
    }

    subscript(name: String) -> TemplateValue? {
        get { self[FieldName(name)] }
        set {
            let key = FieldName(name)
            // A field removed from an object that extends another: its own copy of all.
            if newValue == nil, base != nil {
                entries = allEntries
                base = nil
            }
            switch (Self.index(of: key, in: entries), newValue) {
            case (let found?, let value?): entries[found].value = value
            case (let found?, nil): entries.remove(at: found)
            case (nil, let value?):
                entries.append((key, value))
                names |= key.bit
            case (nil, nil): break
            }
        }
    }
}

/// Text as swift-mustache sees it: rendered after one cast, with no fields, and shown by a
/// section even when empty, exactly as a `String` would be.
struct TemplateText: MustacheCustomRenderable, MustacheParent, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    var renderText: String { string }
    var isNull: Bool { false }
    func child(named: String) -> Any? { nil }
}
