import Foundation

/// Fourth stage: resolves one entry's body. `[[…]]` becomes a link, `[@…]` a numbered
/// marker, `> [!DENIED]` an annotation box, headings get their anchors, and links are
/// made safe. Only text nodes are read, so code spans and code blocks stay as written.
///
/// In two steps, so that a body is parsed by cmark once: `prepare` edits the tree while
/// the note is first read and renders it, leaving each `[[…]]` and `[@…]` as a numbered
/// gap in the HTML (what it becomes depends on every other note); `resolve(_:of:)` fills
/// the gaps once the index is made. Holding every tree until then cost more memory than
/// a second parse; holding the HTML costs less than either.
public struct Resolver: Sendable {
    public let index: DossierIndex
    public let allowHTML: Bool

    public init(index: DossierIndex, allowHTML: Bool) {
        self.index = index
        self.allowHTML = allowHTML
    }

    public struct Result: Sendable {
        /// The body's HTML (UTF-8).
        public var html: [UInt8]
        /// Entries this body links to, in order of appearance (repeats included).
        public var references: [String]
        public var citations: CitationRegistry
        public var diagnostics: [Diagnostic]
    }

    /// A body rendered with a gap for each token: `\u{1}` + the token's number + `\u{2}`.
    public struct PreparedBody: Sendable {
        var html: [UInt8]
        var tokens: [PendingToken]
        /// Found while preparing (unknown callouts).
        var diagnostics: [Diagnostic]
    }

    /// A `[[…]]` or `[@…]` as written, and where it stands.
    struct PendingToken: Sendable {
        var kind: InlineSyntax.Kind
        var inner: Substring
        var place: TokenPlace
    }

    public static let calloutLabels: [String: String] = [
        "DENIED": "Denied", "DISPUTED": "Disputed", "UNVERIFIED": "Unverified", "NOTE": "Note", "EDITOR": "Editor’s note",
    ]

    /// Text inside these is left as written: a `[[…]]` in a link's label is not a second link.
    static let linksAndImages: Set<MarkdownNodeKind> = [.link, .image]

    private static let gapStart = UInt8(1), gapEnd = UInt8(2)

    /// Edits `entry.body` (callouts, links, headings) and renders it with gaps for the
    /// tokens. Needs nothing from other notes: it runs while the notes are first read.
    public static func prepare(_ entry: Entry, headings: [BodyParser.Heading], allowHTML: Bool) -> PreparedBody {
        var tokens: [PendingToken] = []
        let (html, diagnostics) = edit(entry, headings: headings, allowHTML: allowHTML) { token, html in
            html.append(gapStart)
            html.appendDecimal(tokens.count)
            html.append(gapEnd)
            tokens.append(token)
        }
        return PreparedBody(html: html, tokens: tokens, diagnostics: diagnostics)
    }

    /// Fills a prepared body's gaps, in the order of the tokens (which is the order of
    /// the document: citation numbers and references come out as a tree walk gave them).
    /// Nil when the HTML's gaps are not exactly the ones `prepare` made, as when the body
    /// itself spells one (`&#1;`): such a body is resolved by `resolve(_:headings:)`.
    public func resolve(_ prepared: PreparedBody, of entry: Entry, citations: CitationRegistry = CitationRegistry()) -> Result? {
        var pass = Pass(entry: entry, index: index, citations: citations, rootPrefix: SitePaths.rootPrefix(forPageOf: entry))
        pass.diagnostics = prepared.diagnostics
        let filled: [UInt8]? = prepared.html.withUnsafeBufferPointer { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + prepared.tokens.count * 160)
            var cursor = 0
            // By index: each token read in place (enumerating copied every one out).
            for number in prepared.tokens.indices {
                guard let start = Self.offset(of: Self.gapStart, in: bytes, from: cursor) else { return nil }
                var end = start + 1, value = 0
                while end < bytes.count, (0x30...0x39).contains(bytes[end]) {
                    value = value * 10 + Int(bytes[end] - 0x30)
                    end += 1
                }
                guard end > start + 1, end < bytes.count, bytes[end] == Self.gapEnd, value == number else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<start]))
                out.append(contentsOf: pass.html(for: prepared.tokens[number]))
                cursor = end + 1
            }
            guard Self.offset(of: Self.gapStart, in: bytes, from: cursor) == nil else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...]))
            return out
        }
        guard let filled else { return nil }
        return Result(html: filled, references: pass.references,
                      citations: pass.citations, diagnostics: pass.diagnostics)
    }

    /// Resolves `entry.body` in one go, each token's HTML put in the tree as it is found.
    public func resolve(_ entry: Entry, headings: [BodyParser.Heading], citations: CitationRegistry = CitationRegistry()) -> Result {
        var pass = Pass(entry: entry, index: index, citations: citations, rootPrefix: SitePaths.rootPrefix(forPageOf: entry))
        let (html, diagnostics) = Self.edit(entry, headings: headings, allowHTML: allowHTML) { token, html in
            html.append(contentsOf: pass.html(for: token))
        }
        return Result(html: html, references: pass.references, citations: pass.citations, diagnostics: diagnostics + pass.diagnostics)
    }

    /// The tree edits both ways share; `gap` appends the HTML put where each token stood.
    private static func edit(_ entry: Entry, headings: [BodyParser.Heading], allowHTML: Bool,
                             gap: (PendingToken, inout [UInt8]) -> Void) -> (html: [UInt8], diagnostics: [Diagnostic]) {
        guard let document = entry.body else { return ([], []) }
        var diagnostics: [Diagnostic] = []
        for quote in document.nodes(where: { $0.kind == .blockQuote }) {
            resolveCallout(quote, of: entry, diagnostics: &diagnostics)
        }
        // Only text that may hold `[[…]]` or `[@…]`: most text nodes hold no `[`, and are
        // passed over on cmark's C string, without a Swift string made of them.
        let texts = document.nodes { $0.kind == .text && $0.literalContains(UInt8(ascii: "[")) && !$0.isInside(Self.linksAndImages) }
        for text in texts {
            replaceTokens(in: text, gap: gap)
        }
        for link in document.nodes(where: { $0.kind == .link }) {
            secureLink(link)
        }
        for heading in headings {
            let html = heading.node.renderHTML(allowHTML: allowHTML)
            let level = heading.node.headingLevel
            let withID = "<h\(level) id=\"\(heading.anchor)\">" + html.dropFirst("<h\(level)>".count)
            heading.node.replace(with: .customBlock(enter: withID), keepChildren: false)
        }
        return (document.renderHTMLBytes(allowHTML: allowHTML), diagnostics)
    }

    private static func offset(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    // MARK: Callouts

    private static func resolveCallout(_ quote: MarkdownNode, of entry: Entry, diagnostics: inout [Diagnostic]) {
        guard let paragraph = quote.firstChild, paragraph.kind == .paragraph,
              let marker = paragraph.firstChild, marker.kind == .text else { return }
        let literal = marker.literal
        guard literal.hasPrefix("[!"), let close = literal.firstIndex(of: "]") else { return }
        let name = literal[literal.index(literal.startIndex, offsetBy: 2)..<close]
        guard let label = Resolver.calloutLabels[name.uppercased()] else {
            if name.allSatisfy({ $0.isLetter }) {
                diagnostics.append(.warning(TokenPlace(node: marker, token: "[!\(name)]", occurrence: 0).location(in: entry),
                                            "unknown callout '[!\(name)]'; it is shown as a plain quotation",
                                            notes: ["use one of: " + Resolver.calloutLabels.keys.sorted().map { "[!\($0)]" }.joined(separator: ", ")]))
            }
            return
        }
        let title = literal[literal.index(after: close)...].drop { $0 == " " }
        if title.isEmpty {
            if let next = marker.next, next.kind == .softBreak || next.kind == .lineBreak { next.remove() }
            marker.remove()
            if paragraph.firstChild == nil { paragraph.remove() }
        } else {
            marker.setLiteral(String(title))
            // The rest of the marker line is the box's title.
            let heading = MarkdownNode.customInline(enter: "<strong class=\"callout-title\">", exit: "</strong>")
            marker.insertBefore(heading)
            var node: MarkdownNode? = marker
            while let current = node, current.kind != .softBreak, current.kind != .lineBreak {
                node = current.next
                heading.append(current)
            }
            if let lineEnd = node { lineEnd.replace(with: .customInline(enter: "<br>\n"), keepChildren: false) }
        }
        let kind = name.lowercased()
        let box = MarkdownNode.customBlock(
            enter: "<aside class=\"callout callout-\(kind)\" aria-label=\"\(label)\">\n<p class=\"callout-label\">\(label)</p>\n",
            exit: "</aside>\n")
        quote.replace(with: box, keepChildren: true)
    }

    // MARK: Cross-references and citations

    /// Puts a text node's tokens in its place as HTML from `gap`: the node becomes one
    /// piece of Dossier's HTML, its text escaped as cmark writes a text node. (A text node
    /// for each run of text and a node for each token cost a cmark node and a C string
    /// apiece: 1.7 % of the instructions of a build.)
    private static func replaceTokens(in node: MarkdownNode, gap: (PendingToken, inout [UInt8]) -> Void) {
        let literal = node.literal
        let tokens = InlineSyntax.scan(literal)
        guard !tokens.isEmpty else { return }
        var html: [UInt8] = []
        html.reserveCapacity(literal.utf8.count + tokens.count * 8)
        var cursor = literal.startIndex
        // How many times each token text came before in this node, byte for byte, as
        // `TokenPlace.location` searches for it (String equality would count a token
        // spelt with decomposed accents as the same). Nearly every node holds one to
        // three tokens: their earlier texts are compared one by one, and a table counts
        // them only in a node with many (a scan of every earlier token made a paragraph
        // of 20,000 quadratic).
        var earlier: [String] = []
        var seen: [[UInt8]: Int] = [:]
        let few = tokens.count <= 16
        for token in tokens {
            HTML.escapeText(literal[cursor..<token.range.lowerBound], into: &html)
            // Where it is in the file is worked out only if a diagnostic needs it.
            let text = String(literal[token.range])
            let occurrence: Int
            if few {
                occurrence = earlier.count { $0.utf8.elementsEqual(text.utf8) }
                if tokens.count > 1 { earlier.append(text) }
            } else {
                occurrence = seen[Array(text.utf8), default: 0]
                seen[Array(text.utf8), default: 0] += 1
            }
            let place = TokenPlace(node: node, token: text, occurrence: occurrence)
            gap(PendingToken(kind: token.kind, inner: literal[token.inner], place: place), &html)
            cursor = token.range.upperBound
        }
        HTML.escapeText(literal[cursor...], into: &html)
        node.replace(with: .customInline(enter: html), keepChildren: false)
    }

    // MARK: Links

    /// Drops `javascript:`-like targets (keeping the text) and marks external links.
    static func secureLink(_ link: MarkdownNode) {
        let url = String(link.url[...].trimmingSpaces)
        let scheme = url.prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }.lowercased()
        let hasScheme = url.dropFirst(scheme.count).first == ":"
        if hasScheme, !["http", "https", "mailto"].contains(scheme) {
            for child in link.children { link.insertBefore(child) }
            link.remove()
        } else if hasScheme, scheme != "mailto" {
            let title = link.title.isEmpty ? "" : " title=\"\(HTML.escape(link.title))\""
            let replacement = MarkdownNode.customInline(
                enter: "<a href=\"\(HTML.escape(url))\"\(title) rel=\"noopener noreferrer\">", exit: "</a>")
            link.replace(with: replacement, keepChildren: true)
        }
    }

    // MARK: Locations

    /// A token as found in a text node: its text, how many identical tokens came before
    /// it in the same node, and the node's place (the tree is gone when it is resolved).
    struct TokenPlace: Sendable {
        var token: String
        var occurrence: Int
        /// The node's start (body line, byte column) and the last body line of its block.
        var line: Int
        var byteColumn: Int
        var blockEndLine: Int

        init(node: MarkdownNode, token: String, occurrence: Int) {
            (self.token, self.occurrence) = (token, occurrence)
            (line, byteColumn, blockEndLine) = (node.startLine, node.startColumn, node.parent?.endLine ?? 0)
        }

        /// Where the token stands in the file: its occurrence searched from the node's
        /// position on (so escapes and entities earlier in the text do not shift it).
        /// cmark's inline positions can lag after a hard line break, so the rest of the
        /// enclosing block is searched too.
        func location(in entry: Entry) -> SourceLocation {
            let firstLine = line + entry.bodyFirstLine - 1
            let lastLine = max(firstLine, blockEndLine + entry.bodyFirstLine - 1)
            let nodeColumn = entry.lines.column(line: firstLine, byteColumn: byteColumn)
            var line = firstLine
            var column = nodeColumn
            var remaining = occurrence
            while line <= lastLine {
                if let found = entry.lines.column(of: token, line: line, from: column) {
                    if remaining == 0 { return SourceLocation(file: entry.file, line: line, column: found) }
                    remaining -= 1
                    column = found + token.count
                    continue
                }
                line += 1
                column = 1
            }
            let length = entry.lines.line(firstLine)?.count ?? 0
            return SourceLocation(file: entry.file, line: firstLine, column: min(nodeColumn, length + 1))
        }
    }

    /// The mutable state of resolving one body.
    struct Pass {
        let entry: Entry
        let index: DossierIndex
        var citations: CitationRegistry
        let rootPrefix: String
        var references: [String] = []
        var diagnostics: [Diagnostic] = []

        init(entry: Entry, index: DossierIndex, citations: CitationRegistry, rootPrefix: String) {
            self.entry = entry
            self.index = index
            self.citations = citations
            self.rootPrefix = rootPrefix
        }

        /// The HTML a token becomes: a link, a numbered marker, or the text as written. As
        /// bytes: a prepared body's gaps are filled with them as they are (a string made
        /// for every token was checked as UTF-8 only to be taken apart again).
        mutating func html(for token: PendingToken) -> [UInt8] {
            switch token.kind {
            case .reference: referenceHTML(token.inner, at: token.place)
            case .citation(let items): citationHTML(items, at: token.place)
            }
        }

        /// `[[target]]`, `[[target|label]]`, `[[target#anchor]]`: a link, or the text as
        /// written (plus an error) when it does not resolve.
        private mutating func referenceHTML(_ inner: Substring, at place: TokenPlace) -> [UInt8] {
            let token = place.token
            let (targetText, labelText) = inner.splittingOnce(at: UInt8(ascii: "|"))
            let label = labelText.map { String($0.trimmingSpaces) }
            let (nameText, anchorText) = targetText.trimmingSpaces.splittingOnce(at: UInt8(ascii: "#"))
            let name = String(nameText.trimmingSpaces)
            let anchor = anchorText.map { String($0.trimmingSpaces) }
            guard !name.isEmpty else {
                diagnostics.append(.error(location(of: place), "empty cross-reference \(token)",
                                          notes: ["write [[id]], [[id|label]] or [[Title]]"]))
                return Array(HTML.escapeText(token).utf8)
            }
            switch index.find(name) {
            case .entry(let target):
                let id = target.id
                if let anchor, !(index.anchors[id]?.contains(anchor) ?? false) {
                    let known = Array(Set(index.anchors[id] ?? [])).sorted()
                    var notes = ["the headings of '\(id)' have the anchors: " + (known.isEmpty ? "(none)" : known.map { "#\($0)" }.joined(separator: ", "))]
                    if let close = Suggest.closest(to: anchor, among: known, maxDistance: max(2, anchor.count / 3)) {
                        notes.insert("did you mean [[\(id)#\(close)]]?", at: 0)
                    }
                    diagnostics.append(.error(location(of: place), "no heading '#\(anchor)' on '\(id)' (\(target.title))", notes: notes))
                }
                references.append(id)
                // Built as bytes (a body links every few sentences). Only the
                // anchor needs escaping: ids are slugs, the rest is Dossier's own.
                let text = HTML.escapeText(label ?? target.title)
                let page = SitePaths.page(of: target)
                var html = HTMLBytes(capacity: 60 + rootPrefix.utf8.count + page.utf8.count + text.utf8.count + (anchor?.utf8.count ?? 0))
                html.add("<a class=\"xref xref-")
                html.add(target.type.rawValue)
                html.add("\" href=\"")
                html.add(rootPrefix)
                html.add(page)
                if let anchor {
                    html.add("#")
                    html.add(escaping: anchor)
                }
                html.add("\">")
                html.add(text)
                html.add("</a>")
                return html.bytes
            case .ambiguous(let ids):
                diagnostics.append(.error(location(of: place), "ambiguous cross-reference \(token): '\(name)' names \(ids.count) entries",
                                          notes: ids.map { "could be [[\($0)]] (\(index[$0]!.title), \(index[$0]!.type.rawValue))" }
                                              + ["write the id to choose, e.g. [[\(ids[0])|\(name)]]"]))
            case .notFound(let key):
                let suggestions = index.suggestions(for: key)
                diagnostics.append(.error(location(of: place), "unresolved reference \(token)",
                                          notes: suggestions.isEmpty ? ["no entry has this id, title or alias; create it or fix the spelling"] : index.didYouMean(suggestions)))
            }
            return Array(HTML.escapeText(token).utf8)
        }

        /// `[@id]`, `[@id, locator]`, `[@a; @b, para 12]`: a numbered marker, or the text
        /// as written (plus errors) when no item names a source.
        private mutating func citationHTML(_ items: [CitationItem], at place: TokenPlace) -> [UInt8] {
            var resolved: [(sourceID: String, ordinal: Int, locator: String?)] = []
            for item in items {
                func itemLocation() -> SourceLocation {
                    var at = location(of: place)
                    at.column = min(at.column + 1 + item.offset, (entry.lines.line(at.line)?.count ?? 0) + 1)
                    return at
                }
                // By ordinal and type, without the source's entry: a cold object per
                // citation at 50,000 notes.
                guard let ordinal = index.ordinal(of: item.id) else {
                    let suggestions = index.suggestions(for: Fold.key(item.id), types: [.source])
                    diagnostics.append(.error(itemLocation(), "unknown source '@\(item.id)' in citation",
                                              notes: suggestions.isEmpty ? ["add Content/sources/\(Slug.make(item.id)).md or fix the id"] : suggestions.map { "did you mean '@\($0)' (\(index[$0]!.title))?" }))
                    continue
                }
                let type = index.type(ofOrdinal: ordinal)
                guard type == .source else {
                    diagnostics.append(.error(itemLocation(), "citation '@\(item.id)' names a \(type.rawValue), not a source",
                                              notes: ["cite a source id; link to the \(type.rawValue) with [[\(item.id)]]"]))
                    continue
                }
                resolved.append((item.id, ordinal, item.locator))
            }
            guard !resolved.isEmpty else { return Array(HTML.escapeText(place.token).utf8) }
            return citations.markerBytes(resolved)
        }

        private func location(of place: TokenPlace) -> SourceLocation {
            place.location(in: entry)
        }
    }
}
