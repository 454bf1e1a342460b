import Foundation
import Mustache

/// A piece of markup that looks the same on every page that shows it (the site header and
/// footer; on entry pages an entry's link in "Mentioned in", an event in a mini-timeline,
/// a source in the numbered notes),
/// rendered by its own partial the first time a page needs it and then reused, like
/// Hugo's `partialCached`. Templates insert it with `{{{name}}}`; as a section
/// (`{{#name}}…{{/name}}`) its context's fields can still be read one by one.
///
/// swift-mustache spends a few microseconds on every tag, and these parts were most of
/// the tags rendered for an entry page.
final class SharedFragment: MustacheCustomRenderable, MustacheParent, @unchecked Sendable {
    // @unchecked: `rendered` and `digest` are only touched under `lock`; the rest never changes.
    let partial: String
    let context: [String: Any]
    private let library: MustacheLibrary
    private let lock = NSLock()
    private var rendered: String?
    private var digest: [UInt8]?

    init(partial: String, context: [String: Any], library: MustacheLibrary) {
        self.partial = partial
        self.context = context
        self.library = library
    }

    /// What a page digest includes for this fragment (see PageDigest), computed the first
    /// time a page needs it: a rebuild that renders few pages needs few.
    var digestBytes: [UInt8] {
        lock.withLock {
            if let digest { return digest }
            let bytes = PageDigest.encoding(ofFragment: partial, context: context)
            digest = bytes
            return bytes
        }
    }

    var renderText: String {
        lock.withLock {
            if let rendered { return rendered }
            var html = library.render(context, withTemplate: partial) ?? ""
            // Inserted inline: the line break that ends the partial's file is not part of it.
            if html.hasSuffix("\n") { html.removeLast() }
            rendered = html
            return html
        }
    }

    var isNull: Bool { false }

    func child(named name: String) -> Any? { context[name] }
}
