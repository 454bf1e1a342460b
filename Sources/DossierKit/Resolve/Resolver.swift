/// Fourth stage: edits one entry's cmark tree in place. `[[…]]` becomes a link,
/// `[@…]` a numbered marker, `> [!DENIED]` an annotation box, headings get their
/// anchors, and links are made safe. Only text nodes are read, so code spans and
/// code blocks stay as written.
public struct Resolver: Sendable {
    public let index: DossierIndex
    public let allowHTML: Bool

    public init(index: DossierIndex, allowHTML: Bool) {
        self.index = index
        self.allowHTML = allowHTML
    }

    public struct Result: Sendable {
        public var html: String
        /// Entries this body links to, in order of appearance (repeats included).
        public var references: [String]
        public var citations: CitationRegistry
        public var diagnostics: [Diagnostic]
    }

    public static let calloutLabels: [String: String] = [
        "DENIED": "Denied", "DISPUTED": "Disputed", "UNVERIFIED": "Unverified", "NOTE": "Note", "EDITOR": "Editor’s note",
    ]

    /// Text inside these is left as written: a `[[…]]` in a link's label is not a second link.
    static let linksAndImages: Set<MarkdownNodeKind> = [.link, .image]

    public func resolve(_ entry: Entry, headings: [BodyParser.Heading], citations: CitationRegistry = CitationRegistry()) -> Result {
        guard let document = entry.body else {
            return Result(html: "", references: [], citations: citations, diagnostics: [])
        }
        var pass = Pass(entry: entry, index: index, citations: citations, rootPrefix: SitePaths.rootPrefix(forPageOf: entry))
        for quote in document.nodes(where: { $0.kind == .blockQuote }) {
            pass.resolveCallout(quote)
        }
        // Only text that may hold `[[…]]` or `[@…]`: most text nodes hold no `[`, and are
        // passed over on cmark's C string, without a Swift string made of them.
        let texts = document.nodes { $0.kind == .text && $0.literalContains(UInt8(ascii: "[")) && !$0.isInside(Self.linksAndImages) }
        for text in texts {
            pass.resolveText(text)
        }
        for link in document.nodes(where: { $0.kind == .link }) {
            Pass.secureLink(link)
        }
        for heading in headings {
            let html = heading.node.renderHTML(allowHTML: allowHTML)
            let level = heading.node.headingLevel
            let withID = "<h\(level) id=\"\(heading.anchor)\">" + html.dropFirst("<h\(level)>".count)
            heading.node.replace(with: .customBlock(enter: withID), keepChildren: false)
        }
        return Result(html: document.renderHTML(allowHTML: allowHTML), references: pass.references,
                      citations: pass.citations, diagnostics: pass.diagnostics)
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

        // MARK: Callouts

        mutating func resolveCallout(_ quote: MarkdownNode) {
            guard let paragraph = quote.firstChild, paragraph.kind == .paragraph,
                  let marker = paragraph.firstChild, marker.kind == .text else { return }
            let literal = marker.literal
            guard literal.hasPrefix("[!"), let close = literal.firstIndex(of: "]") else { return }
            let name = literal[literal.index(literal.startIndex, offsetBy: 2)..<close]
            guard let label = Resolver.calloutLabels[name.uppercased()] else {
                if name.allSatisfy({ $0.isLetter }) {
                    diagnostics.append(.warning(location(of: marker, token: "[!\(name)]"),
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

        mutating func resolveText(_ node: MarkdownNode) {
            let literal = node.literal
            let tokens = InlineSyntax.scan(literal)
            guard !tokens.isEmpty else { return }
            var cursor = literal.startIndex
            var seen: [String: Int] = [:]
            for token in tokens {
                if cursor < token.range.lowerBound { node.insertBefore(.text(String(literal[cursor..<token.range.lowerBound]))) }
                let text = String(literal[token.range])
                // Where it is in the file is worked out only if a diagnostic needs it.
                let at = TokenPlace(node: node, token: text, occurrence: seen[text, default: 0])
                seen[text, default: 0] += 1
                switch token.kind {
                case .reference: node.insertBefore(referenceNode(literal[token.inner], token: text, at: at))
                case .citation(let items): node.insertBefore(citationNode(items, token: text, at: at))
                }
                cursor = token.range.upperBound
            }
            if cursor < literal.endIndex { node.insertBefore(.text(String(literal[cursor...]))) }
            node.remove()
        }

        /// `[[target]]`, `[[target|label]]`, `[[target#anchor]]`: a link, or the text as
        /// written (plus an error) when it does not resolve.
        private mutating func referenceNode(_ inner: Substring, token: String, at place: TokenPlace) -> MarkdownNode {
            let parts = inner.splitting(at: UInt8(ascii: "|"), maxSplits: 1)
            let targetText = parts[0].trimmingSpaces
            let label = parts.count > 1 ? String(parts[1].trimmingSpaces) : nil
            let targetParts = targetText.splitting(at: UInt8(ascii: "#"), maxSplits: 1)
            let name = String(targetParts[0].trimmingSpaces)
            let anchor = targetParts.count > 1 ? String(targetParts[1].trimmingSpaces) : nil
            guard !name.isEmpty else {
                diagnostics.append(.error(location(of: place), "empty cross-reference \(token)",
                                          notes: ["write [[id]], [[id|label]] or [[Title]]"]))
                return .text(token)
            }
            switch index.lookup(name) {
            case .found(let id):
                let target = index[id]!
                if let anchor, !(index.anchors[id]?.contains(anchor) ?? false) {
                    let known = (index.anchors[id] ?? []).sorted()
                    var notes = ["the headings of '\(id)' have the anchors: " + (known.isEmpty ? "(none)" : known.map { "#\($0)" }.joined(separator: ", "))]
                    if let close = Suggest.closest(to: anchor, among: known, maxDistance: max(2, anchor.count / 3)) {
                        notes.insert("did you mean [[\(id)#\(close)]]?", at: 0)
                    }
                    diagnostics.append(.error(location(of: place), "no heading '#\(anchor)' on '\(id)' (\(target.title))", notes: notes))
                }
                references.append(id)
                let href = rootPrefix + SitePaths.page(of: target) + (anchor.map { "#" + $0 } ?? "")
                let link = MarkdownNode.customInline(
                    enter: "<a class=\"xref xref-\(target.type.rawValue)\" href=\"\(HTML.escape(href))\">", exit: "</a>")
                link.append(.text(label ?? target.title))
                return link
            case .ambiguous(let ids):
                diagnostics.append(.error(location(of: place), "ambiguous cross-reference \(token): '\(name)' names \(ids.count) entries",
                                          notes: ids.map { "could be [[\($0)]] (\(index[$0]!.title), \(index[$0]!.type.rawValue))" }
                                              + ["write the id to choose, e.g. [[\(ids[0])|\(name)]]"]))
            case .notFound(let suggestions):
                diagnostics.append(.error(location(of: place), "unresolved reference \(token)",
                                          notes: suggestions.isEmpty ? ["no entry has this id, title or alias; create it or fix the spelling"] : index.didYouMean(suggestions)))
            }
            return .text(token)
        }

        /// `[@id]`, `[@id, locator]`, `[@a; @b, para 12]`: a numbered marker, or the text
        /// as written (plus errors) when no item names a source.
        private mutating func citationNode(_ items: [CitationItem], token: String, at place: TokenPlace) -> MarkdownNode {
            var resolved: [(sourceID: String, locator: String?)] = []
            for item in items {
                func itemLocation() -> SourceLocation {
                    var at = location(of: place)
                    at.column = min(at.column + 1 + item.offset, (entry.lines.line(at.line)?.count ?? 0) + 1)
                    return at
                }
                guard let target = index[item.id] else {
                    let suggestions = index.suggestions(for: Fold.key(item.id), types: [.source])
                    diagnostics.append(.error(itemLocation(), "unknown source '@\(item.id)' in citation",
                                              notes: suggestions.isEmpty ? ["add Content/sources/\(Slug.make(item.id)).md or fix the id"] : suggestions.map { "did you mean '@\($0)' (\(index[$0]!.title))?" }))
                    continue
                }
                guard target.type == .source else {
                    diagnostics.append(.error(itemLocation(), "citation '@\(item.id)' names a \(target.type.rawValue), not a source",
                                              notes: ["cite a source id; link to the \(target.type.rawValue) with [[\(item.id)]]"]))
                    continue
                }
                resolved.append((item.id, item.locator))
            }
            guard !resolved.isEmpty else { return .text(token) }
            return .customInline(enter: citations.markerHTML(resolved))
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

        private func fileLine(of node: MarkdownNode) -> Int {
            node.startLine + entry.bodyFirstLine - 1
        }

        private func startColumn(of node: MarkdownNode) -> Int {
            entry.lines.column(line: fileLine(of: node), byteColumn: node.startColumn)
        }

        /// A token as found in a text node: its text, and how many identical tokens came
        /// before it in the same node.
        struct TokenPlace {
            var node: MarkdownNode
            var token: String
            var occurrence: Int
        }

        /// Where a token stands in the file: its occurrence searched from the node's
        /// position on (so escapes and entities earlier in the text do not shift it).
        /// cmark's inline positions can lag after a hard line break, so the rest of the
        /// enclosing block is searched too.
        func location(of place: TokenPlace) -> SourceLocation {
            let node = place.node
            let firstLine = fileLine(of: node)
            let lastLine = max(firstLine, (node.parent?.endLine ?? 0) + entry.bodyFirstLine - 1)
            var line = firstLine
            var column = startColumn(of: node)
            var remaining = place.occurrence
            while line <= lastLine {
                if let found = entry.lines.column(of: place.token, line: line, from: column) {
                    if remaining == 0 { return SourceLocation(file: entry.file, line: line, column: found) }
                    remaining -= 1
                    column = found + place.token.count
                    continue
                }
                line += 1
                column = 1
            }
            let length = entry.lines.line(firstLine)?.count ?? 0
            return SourceLocation(file: entry.file, line: firstLine, column: min(startColumn(of: node), length + 1))
        }

        private func location(of node: MarkdownNode, token: String) -> SourceLocation {
            location(of: TokenPlace(node: node, token: token, occurrence: 0))
        }
    }
}
