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

    @Test func ambiguousAliasListsCandidates() throws {
        let (report, dossier) = try check(body: "The [[Durand]] affair.\n", extra: [
            "people/jerome-durand.md": Notes.person("Jérôme Durand", aliases: ["Durand"]),
            "people/marie-durand.md": Notes.person("Marie Durand", aliases: ["Durand"]),
        ])
        defer { dossier.remove() }
        let diagnostic = try #require(report.first(containing: "ambiguous cross-reference [[Durand]]"))
        #expect(diagnostic.location.line == 4)
        #expect(diagnostic.location.column == 5)
        #expect(diagnostic.notes.contains { $0.contains("[[jerome-durand]]") })
        #expect(diagnostic.notes.contains { $0.contains("[[marie-durand]]") })
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
