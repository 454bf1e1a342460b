import Mustache
import Synchronization

/// A piece of markup that looks the same on every page that shows it (the site header and
/// footer; on entry pages an entry's link in "Mentioned in", an event in a mini-timeline,
/// a source in the numbered notes),
/// rendered by its own partial the first time a page needs it and then reused, like
/// Hugo's `partialCached`. Templates insert it with `{{{name}}}`; as a section
/// (`{{#name}}…{{/name}}`) its context's fields can still be read one by one.
final class SharedFragment: MustacheCustomRenderable, MustacheParent, Sendable {
    let partial: String
    let context: TemplateObject
    private let templates: TemplateSet
    /// The markup, when it was rendered as the fragment was made (`renderedNow`): read
    /// without the lock, which every page showing the fragment took otherwise, on both
    /// cores, in an object tens of thousands of others push out of the processor's cache.
    private let prerendered: [UInt8]?
    /// The markup and the digest bytes, each made on first use. In the fragment itself
    /// (an `NSLock` is an object of its own: one more cache miss for every fragment a
    /// page shows, among hundreds of thousands at 50,000 notes).
    private let made = Mutex<(rendered: [UInt8]?, digest: [UInt8]?)>((nil, nil))

    /// `renderedNow`: for a fragment most pages of a build will show (see PageBuilder).
    init(partial: String, context: TemplateObject, templates: TemplateSet, renderedNow: Bool = false) {
        self.partial = partial
        self.context = context
        self.templates = templates
        prerendered = renderedNow ? Self.render(partial, context, templates) : nil
    }

    /// What a page digest includes for this fragment (see PageDigest), computed the first
    /// time a page needs it: a rebuild that renders few pages needs few.
    var digestBytes: [UInt8] {
        made.withLock { made in
            if let digest = made.digest { return digest }
            let bytes = PageDigest.encoding(ofFragment: partial, context: context)
            made.digest = bytes
            return bytes
        }
    }

    /// The fragment's markup, rendered on first use.
    var bytes: [UInt8] {
        if let prerendered { return prerendered }
        return made.withLock { made in
            if let rendered = made.rendered { return rendered }
            let html = Self.render(partial, context, templates)
            made.rendered = html
            return html
        }
    }

    /// Appends the markup to a page. Pre-rendered bytes are read where they are, not
    /// retained first: a fragment on many pages is read by both cores, and a reference
    /// count written from both moves its cache line from one core to the other.
    func append(to out: inout [UInt8]) {
        guard prerendered != nil else { return out.append(contentsOf: bytes) }
        prerendered.unsafelyUnwrapped.withUnsafeBufferPointer { out.append(contentsOf: $0) }
    }

    private static func render(_ partial: String, _ context: TemplateObject, _ templates: TemplateSet) -> [UInt8] {
        var html = templates.render(context, template: partial)
        // Inserted inline: the line break that ends the partial's file is not part of
        // it (a "\n"; a "\r\n" stays, as it always has).
        if html.last == UInt8(ascii: "\n"), html.dropLast().last != UInt8(ascii: "\r") { html.removeLast() }
        return html
    }

    // As swift-mustache sees it, when it renders the page.
    var renderText: String { String(decoding: bytes, as: UTF8.self) }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { context[name]?.mustacheValue }
}
