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

    public func resolve(_ entry: Entry, headings: [BodyParser.Heading], citations: CitationRegistry = CitationRegistry()) -> Result {
        guard let document = entry.body else {
            return Result(html: "", references: [], citations: citations, diagnostics: [])
        }
        var pass = Pass(entry: entry, index: index, citations: citations, rootPrefix: SitePaths.rootPrefix(forPageOf: entry))
        for quote in document.nodes(where: { $0.kind == .blockQuote }) {
            pass.resolveCallout(quote)
        }
        let texts = document.nodes { $0.kind == .text && !$0.isInside([.link, .image]) }
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
            guard literal.contains("[") else { return }
            var pieces: [MarkdownNode] = []
            var plain = ""
            var cursor = literal.startIndex
            var searchFrom = (line: fileLine(of: node), column: startColumn(of: node))
            while let open = literal[cursor...].firstIndex(of: "[") {
                let afterOpen = literal.index(after: open)
                guard afterOpen < literal.endIndex else { break }
                let isReference = literal[afterOpen] == "["
                let isCitation = literal[afterOpen] == "@"
                guard isReference || isCitation else {
                    plain += literal[cursor..<afterOpen]
                    cursor = afterOpen
                    continue
                }
                let closer = isReference ? "]]" : "]"
                let innerStart = isReference ? literal.index(after: afterOpen) : afterOpen
                guard let closeRange = literal.range(of: closer, range: innerStart..<literal.endIndex) else { break }
                let token = String(literal[open..<closeRange.upperBound])
                let inner = literal[innerStart..<closeRange.lowerBound]
                let at = location(of: node, token: token, from: &searchFrom)
                let replacement = isReference ? referenceNode(inner, token: token, at: at) : citationNode(inner, at: at)
                guard let replacement else {
                    plain += literal[cursor..<afterOpen]
                    cursor = afterOpen
                    continue
                }
                plain += literal[cursor..<open]
                if !plain.isEmpty { pieces.append(.text(plain)); plain = "" }
                pieces.append(replacement)
                cursor = closeRange.upperBound
            }
            guard !pieces.isEmpty else { return }
            plain += literal[cursor...]
            if !plain.isEmpty { pieces.append(.text(plain)) }
            for piece in pieces { node.insertBefore(piece) }
            node.remove()
        }

        /// `[[target]]`, `[[target|label]]`, `[[target#anchor]]`: a link, or the text as
        /// written (plus an error) when it does not resolve.
        private mutating func referenceNode(_ inner: Substring, token: String, at location: SourceLocation) -> MarkdownNode? {
            let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let targetText = parts[0].trimmingCharacters(in: " ")
            let label = parts.count > 1 ? parts[1].trimmingCharacters(in: " ") : nil
            let targetParts = targetText.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let name = targetParts[0].trimmingCharacters(in: " ")
            let anchor = targetParts.count > 1 ? targetParts[1].trimmingCharacters(in: " ") : nil
            guard !name.isEmpty else {
                diagnostics.append(.error(location, "empty cross-reference \(token)",
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
                    diagnostics.append(.error(location, "no heading '#\(anchor)' on '\(id)' (\(target.title))", notes: notes))
                }
                references.append(id)
                let href = rootPrefix + SitePaths.page(of: target) + (anchor.map { "#" + $0 } ?? "")
                let link = MarkdownNode.customInline(
                    enter: "<a class=\"xref xref-\(target.type.rawValue)\" href=\"\(HTML.escape(href))\">", exit: "</a>")
                link.append(.text(label ?? target.title))
                return link
            case .ambiguous(let ids):
                diagnostics.append(.error(location, "ambiguous cross-reference \(token): '\(name)' names \(ids.count) entries",
                                          notes: ids.map { "could be [[\($0)]] (\(index[$0]!.title), \(index[$0]!.type.rawValue))" }
                                              + ["write the id to choose, e.g. [[\(ids[0])|\(name)]]"]))
            case .notFound(let suggestions):
                diagnostics.append(.error(location, "unresolved reference \(token)",
                                          notes: suggestions.isEmpty ? ["no entry has this id, title or alias; create it or fix the spelling"] : index.didYouMean(suggestions)))
            }
            return .text(token)
        }

        /// `[@id]`, `[@id, locator]`, `[@a; @b, para 12]`: a numbered marker. Text in
        /// brackets that is not citation syntax is left alone (nil).
        private mutating func citationNode(_ inner: Substring, at location: SourceLocation) -> MarkdownNode? {
            guard let items = CitationSyntax.parse(inner) else { return nil }
            var resolved: [(sourceID: String, locator: String?)] = []
            for item in items {
                var itemLocation = location
                itemLocation.column = min(location.column + 1 + item.offset, (entry.lines.line(location.line)?.count ?? 0) + 1)
                guard let target = index[item.id] else {
                    let suggestions = index.suggestions(for: Fold.key(item.id), types: [.source])
                    diagnostics.append(.error(itemLocation, "unknown source '@\(item.id)' in citation",
                                              notes: suggestions.isEmpty ? ["add Content/sources/\(Slug.make(item.id)).md or fix the id"] : suggestions.map { "did you mean '@\($0)' (\(index[$0]!.title))?" }))
                    continue
                }
                guard target.type == .source else {
                    diagnostics.append(.error(itemLocation, "citation '@\(item.id)' names a \(target.type.rawValue), not a source",
                                              notes: ["cite a source id; link to the \(target.type.rawValue) with [[\(item.id)]]"]))
                    continue
                }
                resolved.append((item.id, item.locator))
            }
            guard !resolved.isEmpty else { return .text("[" + inner + "]") }
            return .customInline(enter: citations.markerHTML(resolved))
        }

        // MARK: Links

        /// Drops `javascript:`-like targets (keeping the text) and marks external links.
        static func secureLink(_ link: MarkdownNode) {
            let url = link.url.trimmingCharacters(in: " ")
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

        /// Where `token` stands in the file, searched from the node's position on (so
        /// escapes and entities earlier in the text do not shift it). cmark's inline
        /// positions can lag after a hard line break, so the rest of the enclosing block
        /// is searched too; the position found is where the next search starts.
        private func location(of node: MarkdownNode, token: String, from start: inout (line: Int, column: Int)) -> SourceLocation {
            let lastLine = max(start.line, (node.parent?.endLine ?? 0) + entry.bodyFirstLine - 1)
            var line = start.line
            var column = start.column
            while line <= lastLine {
                if let found = entry.lines.column(of: token, line: line, from: column) {
                    start = (line, found + token.count)
                    return SourceLocation(file: entry.file, line: line, column: found)
                }
                line += 1
                column = 1
            }
            let length = entry.lines.line(start.line)?.count ?? 0
            return SourceLocation(file: entry.file, line: start.line, column: min(start.column, length + 1))
        }

        private func location(of node: MarkdownNode, token: String) -> SourceLocation {
            var start = (line: fileLine(of: node), column: startColumn(of: node))
            return location(of: node, token: token, from: &start)
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        self[...].trimmingCharacters(in: set)
    }
}
