import Foundation
import Testing
@testable import DossierKit

@Suite struct ResolverTests {
    /// A small dossier whose note `notes/n.md` has `body` starting on file line 4.
    func check(body: String, extra: [String: String] = [:]) throws -> (DiagnosticReport, ScratchDossier) {
        var files = [
            "sources/src.md": Notes.source,
            "people/elodie-marchal.md": Notes.person("Élodie Marchal", aliases: ["La Comtesse"]),
            "people/jerome-durand.md": Notes.person("Jérôme Durand", aliases: ["Jerry"]),
            "notes/n.md": "---\ntitle: Note\n---\n" + body,
        ]
        files.merge(extra) { $1 }
        let dossier = try ScratchDossier(files)
        return (try dossier.check(), dossier)
    }

    @Test(arguments: [
        "[[elodie-marchal]]", "[[Élodie Marchal]]", "[[elodie marchal]]", "[[ELODIE MARCHAL]]",
        "[[la comtesse]]", "[[E\u{301}lodie Marchal]]", "[[Jerry|him]]",
    ])
    func resolvesIdsTitlesAliasesCaseDiacriticsAndNormalisation(reference: String) throws {
        let (report, dossier) = try check(body: "See \(reference) [@src].\n")
        defer { dossier.remove() }
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty, "\(report.lines)")
    }

    /// A body parsed, edited and rendered in the cmark arena (as every note is when first
    /// read) renders as one handled by cmark's own allocator: a short one, and one long
    /// enough to need several chunks of the arena and to grow the rendered HTML in place
    /// and by moving it.
    @Test(arguments: [1, 4_000])
    func aBodyRenderedInTheArenaIsTheSameAsWithout(paragraphs: Int) throws {
        let body = (0..<paragraphs).map { "Paragraph \($0) with *emphasis*, `code` & [[ana]] [@paper, p. \($0)] and [a link](https://example.org/\($0))." }
            .joined(separator: "\n\n") + "\n\n## A heading\n\n> [!DENIED]\n> Text."
        func prepared() -> [UInt8] {
            let entry = Entry(id: "note", type: .note, file: "notes/note.md", idLocation: SourceLocation(file: "notes/note.md", line: 1, column: 1),
                              title: "Note", lines: TextLines(body))
            let headings = BodyParser.parse(body, into: entry)
            defer { entry.body = nil }
            return Resolver.prepare(entry, headings: headings, allowHTML: false).html
        }
        let inArena = CmarkArena.scoped { prepared() }
        #expect(inArena == prepared())
        // A scope opened inside another keeps the outer one's tree alive.
        let nested = CmarkArena.scoped {
            let outer = MarkdownDocument(markdown: body)
            let inner = CmarkArena.scoped { prepared() }
            return (inner, outer.renderHTMLBytes(allowHTML: false).count)
        }
        #expect(nested.0 == inArena)
        #expect(nested.1 > 0)
        #expect(inArena.count > paragraphs * 60)
    }

    @Test func nfdTitleInFrontMatterMatchesNFCReference() throws {
        let (report, dossier) = try check(body: "See [[Zoë Café]] [@src].\n", extra: [
            "people/zoe.md": Notes.person("Zoe\u{308} Cafe\u{301}"),
        ])
        defer { dossier.remove() }
        #expect(report.errorCount == 0, "\(report.lines)")
    }

    @Test func unresolvedReferenceIsLocatedWithCandidates() throws {
        let (report, dossier) = try check(body: "First line.\n\nIt was [[Elodie Marchall]] again.\n")
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "unresolved reference [[Elodie Marchall]]"))
        #expect(diagnostic.location.file == "Content/notes/n.md")
        #expect(diagnostic.location.line == 6)
        #expect(diagnostic.location.column == 8)
        #expect(diagnostic.notes.first == "did you mean [[elodie-marchal]] (Élodie Marchal)?")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let (report, dossier) = try check(body: "Éé àà — [[nobody-here]]\n")
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "[[nobody-here]]"))
        #expect(diagnostic.location.line == 4)
        #expect(diagnostic.location.column == 9)
    }

    @Test func theSameTokenTwiceInATextIsLocatedEachTime() throws {
        let (report, dossier) = try check(body: "Ça [[nobody-here]], then [[Élodie Marchal]] and [[nobody-here]] again.\n")
        defer { dossier.remove() }
        let found = report.diagnostics.filter { $0.message.contains("[[nobody-here]]") }.map(\.location)
        #expect(found.map(\.line) == [4, 4])
        #expect(found.map(\.column) == [4, 49])
    }

    /// The same token spelt with a precomposed and a decomposed accent is two tokens to
    /// locate (the file's bytes differ), in a text of few tokens and of many.
    @Test func canonicallyEqualTokensAreLocatedByTheirOwnBytes() throws {
        let composed = "[[nobody-\u{E9}]]", decomposed = "[[nobody-e\u{301}]]"
        let middle = Array(repeating: "[[Jerry]]", count: 20).joined(separator: " ")
        for filler in ["and", middle] {
            let (report, dossier) = try check(body: "\(composed) \(filler) \(decomposed)\n")
            defer { dossier.remove() }
            let columns = report.diagnostics.filter { $0.message.hasPrefix("unresolved reference") }.map(\.location.column).sorted()
            #expect(columns == [1, 1 + "\(composed) \(filler) ".count], "\(report.lines)")
        }
    }

    /// Past a few tokens in one text, earlier ones are counted by a table, not compared.
    @Test func theSameTokenInATextOfManyIsLocatedEachTime() throws {
        let middle = Array(repeating: "[[Jerry]]", count: 20).joined(separator: " ")
        let (report, dossier) = try check(body: "[[nobody-here]] \(middle) [[nobody-here]] [[Jerry]] [[nobody-here]]\n")
        defer { dossier.remove() }
        let found = report.diagnostics.filter { $0.message.contains("[[nobody-here]]") }.map(\.location)
        let second = 1 + "[[nobody-here]] \(middle) ".count
        #expect(found.map(\.line) == [4, 4, 4])
        #expect(found.map(\.column) == [1, second, second + "[[nobody-here]] [[Jerry]] ".count])
    }

    @Test func ambiguousAliasListsCandidates() throws {
        let (report, dossier) = try check(body: "The [[Durand]] affair.\n", extra: [
            "people/jerome-durand.md": Notes.person("Jérôme Durand", aliases: ["Durand"]),
            "people/marie-durand.md": Notes.person("Marie Durand", aliases: ["Durand"]),
            "people/paul-durand.md": Notes.person("Paul Durand", aliases: ["Durand"]),
        ])
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "ambiguous cross-reference [[Durand]]"))
        #expect(diagnostic.location.line == 4)
        #expect(diagnostic.location.column == 5)
        #expect(diagnostic.notes.contains { $0.contains("[[jerome-durand]]") })
        #expect(diagnostic.notes.contains { $0.contains("[[marie-durand]]") })
        #expect(diagnostic.notes.contains { $0.contains("[[paul-durand]]") })
    }

    @Test func anchorMustNameAHeading() throws {
        let (report, dossier) = try check(body: "[[n#background]] and [[n#backgrond]]\n\n## Background\n")
        defer { dossier.remove() }
        #expect(report.diagnostics.count { $0.message.contains("no heading") } == 1)
        let diagnostic = try #require(report.first(containing: "no heading '#backgrond'"))
        #expect(diagnostic.location.column == 22)
        #expect(diagnostic.notes.first == "did you mean [[n#background]]?")
    }

    @Test func codeSpansAndBlocksAreNotResolved() throws {
        let (report, dossier) = try check(body: "`[[nothing]]` and `[@nope]`\n\n    [[indented-code]]\n\n```\n[[fenced]]\n```\n")
        defer { dossier.remove() }
        #expect(report.errorCount == 0, "\(report.lines)")
    }

    @Test func unknownSourceAndNonSourceCitations() throws {
        let (report, dossier) = try check(body: "Claim [@scr, p. 4; @elodie-marchal].\n")
        defer { dossier.remove() }
        let unknown = try #require(report.first(containing: "unknown source '@scr'"))
        #expect(unknown.location.line == 4)
        #expect(unknown.location.column == 8)
        #expect(unknown.notes.first?.contains("'@src'") == true)
        let wrongType = try #require(report.first(containing: "names a person, not a source"))
        #expect(wrongType.location.column == 20)
    }

    @Test func unknownFrontMatterIdIsLocatedAtTheValue() throws {
        let (report, dossier) = try check(body: "", extra: [
            "events/e.md": "---\ntitle: E\ndate: 2014\npeople:\n  - elodie-marchal\n  - jerome-durant\nsources: [src]\n---\n",
        ])
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "'jerome-durant' in 'people'"))
        #expect(diagnostic.location.description == "Content/events/e.md:6:5")
        #expect(diagnostic.notes.first == "did you mean 'jerome-durand' (Jérôme Durand)?")
    }

    @Test func duplicateIdNamesBothFiles() throws {
        let (report, dossier) = try check(body: "", extra: ["organizations/elodie-marchal.md": "---\nname: Other\n---\n"])
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "duplicate id 'elodie-marchal'"))
        #expect(diagnostic.location.file == "Content/people/elodie-marchal.md")
        #expect(diagnostic.notes.first == "also used by Content/organizations/elodie-marchal.md:1:1")
    }

    @Test func invalidDateIsLocatedAtTheBadCharacter() throws {
        let (report, dossier) = try check(body: "", extra: ["events/e.md": "---\ntitle: E\ndate: 2019-13-45\n---\n"])
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "invalid date '2019-13-45'"))
        #expect(diagnostic.location.description == "Content/events/e.md:3:12")
    }

    /// Bodies are rendered once, with a numbered gap (`\u{1}n\u{2}`) for each token,
    /// filled once the index is made. A body that spells such a gap itself, here with
    /// character references, is parsed again and resolved in one go: its own text stays,
    /// and its page is the one the same body without the spelled gap gets.
    @Test(arguments: [
        "Odd SPOT text.\n\n## About [[Jerry]]\n\n> [!DENIED] [[elodie-marchal]] replied\n> No [@src, p. 2].\n\n"
            + "Then [[La Comtesse|her]] [@src; @src, p. 3] and `[[code]]`.\n",
        "Odd SPOT text: [[La Comtesse|her]].\n",
    ])
    func bodySpellingAGapItselfKeepsItsTextAndItsLinks(body: String) throws {
        func page(_ spot: String) throws -> String {
            let (report, dossier) = try check(body: body.replacingOccurrences(of: "SPOT", with: spot))
            defer { dossier.remove() }
            #expect(report.errorCount == 0, "\(report.lines)")
            _ = try dossier.build()
            return try dossier.page("notes/n/index.html")
        }
        let spelled = try page("&#1;0&#2;")
        let plain = try page("X")
        #expect(spelled.contains("Odd \u{1}0\u{2} text"))
        #expect(spelled.replacingOccurrences(of: "\u{1}0\u{2}", with: "X") == plain)
        #expect(plain.contains(">her</a>"))
        #expect(!plain.contains("\u{1}"))
    }

    @Test func tokensInHeadingsCalloutsAndCodeRenderAsBefore() throws {
        let (_, dossier) = try check(body: "## About [[Jerry]]\n\n> [!DENIED] [[elodie-marchal]] & co\n> No [@src, p. 2].\n\n`[[code]]` [[Jerry|<Jerry's>]]\n")
        defer { dossier.remove() }
        _ = try dossier.build()
        let page = try dossier.page("notes/n/index.html")
        #expect(page.contains("<h2 id=\"about-jerry\">About <a class=\"xref xref-person\" href=\"../../people/jerome-durand/index.html\">Jérôme Durand</a></h2>"))
        #expect(page.contains("<strong class=\"callout-title\"><a class=\"xref xref-person\" href=\"../../people/elodie-marchal/index.html\">Élodie Marchal</a> &amp; co</strong><br>"))
        #expect(page.contains("<code>[[code]]</code> <a class=\"xref xref-person\" href=\"../../people/jerome-durand/index.html\">&lt;Jerry's&gt;</a>"))
    }

    @Test func unresolvedTokensInAHeadingAndACalloutAreLocated() throws {
        let (report, dossier) = try check(body: "Intro.\n\n## About [[Nobody]]\n\n> [!DISPUTED] Said [[Nemo]] & co\n> [@nosuch, p. 1] <x>\n")
        defer { dossier.remove() }
        let heading = try #require(report.first(containing: "unresolved reference [[Nobody]]"))
        #expect((heading.location.line, heading.location.column) == (6, 10))
        let callout = try #require(report.first(containing: "unresolved reference [[Nemo]]"))
        #expect((callout.location.line, callout.location.column) == (8, 20))
        let citation = try #require(report.first(containing: "unknown source '@nosuch'"))
        #expect((citation.location.line, citation.location.column) == (9, 4))
    }

    @Test func citationNumbersFollowFirstUseAndRepeatForTheSameSource() {
        var registry = CitationRegistry()
        let first = registry.markerHTML([("b", "p. 1")])
        _ = registry.markerHTML([("a", nil), ("b", "p. 2")])
        _ = registry.markerHTML([("b", "p. 3"), ("b", "p. 4")])
        #expect(first.contains(">1</a>"))
        #expect(registry.notes.map(\.sourceID) == ["b", "a"])
        #expect(registry.notes[0].occurrences.map(\.locator) == ["p. 1", "p. 2", "p. 3, p. 4"])
        #expect(registry.notes[0].occurrences.map(\.anchor) == ["cite-1-1", "cite-1-2", "cite-1-3"])
    }

    @Test func citationSyntax() {
        #expect(CitationSyntax.parse("@a, p. 4; @b") == [
            CitationItem(id: "a", locator: "p. 4", offset: 0), CitationItem(id: "b", locator: nil, offset: 10),
        ])
        // Offsets count characters, not bytes ("é" is two bytes).
        #expect(CitationSyntax.parse("@café, § é;  @b ,  p. 2 ") == [
            CitationItem(id: "café", locator: "§ é", offset: 0), CitationItem(id: "b", locator: "p. 2", offset: 13),
        ])
        // A part of a longer text, as the scanner hands it over.
        #expect(CitationSyntax.parse("é [@a, p. 4; @b] x".dropFirst(3).dropLast(3)) == [
            CitationItem(id: "a", locator: "p. 4", offset: 0), CitationItem(id: "b", locator: nil, offset: 10),
        ])
        #expect(CitationSyntax.parse("see @a") == nil)
        #expect(CitationSyntax.parse("@a;") == nil)
        #expect(CitationSyntax.parse("@") == nil)
    }
}

@Suite struct InlineSyntaxTests {
    func scanned(_ text: String) -> [String] {
        InlineSyntax.scan(text).map { String(text[$0.range]) }
    }

    @Test func findsReferencesAndCitationsInOrder() {
        #expect(scanned("a [[x]] b [@s, p. 4] c [[y|z]]") == ["[[x]]", "[@s, p. 4]", "[[y|z]]"])
    }

    @Test func unclosedOrForeignBracketsStayText() {
        #expect(scanned("[[never closed and [@src]") == ["[@src]"])
        #expect(scanned("[see @x] [@ x] [@] [link] [") == [])
        #expect(scanned("[[a]] [[b]") == ["[[a]]"])
        // A token never contains a bracket: the innermost one wins.
        #expect(scanned("[[a [[b]] and [@x [@y]") == ["[[b]]", "[@y]"])
        #expect(scanned(String(repeating: "[@", count: 5000) + "]") == [])
    }

    @Test func citationItemsComeParsed() throws {
        let token = try #require(InlineSyntax.scan("x [@a; @b, para 12]").first)
        #expect(token.kind == .citation([CitationItem(id: "a", locator: nil, offset: 0), CitationItem(id: "b", locator: "para 12", offset: 4)]))
    }
}
