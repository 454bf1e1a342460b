import Foundation
import Testing
@testable import DossierKit

/// The build cache stands in for reading unchanged notes: what it gives back must be
/// exactly what reading the file gives.
@Suite struct BuildCacheTests {
    /// Notes that between them set every property of Entry, with every kind of date.
    static let everyField: [String: String] = [
        "people/ana.md": """
            ---
            name: "Ána Pérez"
            aliases: [La Ana, "Ana P."]
            summary: A person with every key.
            tags: [one, two]
            sources: [paper]
            updated: 2024-05-06
            born: 1970-XX
            died: 2020-21~
            nationality: Spanish
            roles: [Editor, "Author"]
            affiliations:
              - {org: acme, role: Chair, from: 1999?, to: 2003-04/.., sources: [paper]}
              - {org: acme}
            relations:
              - {with: acme, kind: funded by, sources: [paper]}
              - {with: acme}
            nationalty: typo
            ---
            Body.
            """,
        "organizations/acme.md": "---\nname: Acme\nkind: company\ncountry: France\nparent: acme-holding\n---\n",
        "organizations/acme-holding.md": "---\nname: Acme Holding\n---\n",
        "places/town.md": "---\nname: Town\nkind: city\ncountry: Spain\ncoordinates: [40.4168, -3.7038]\n---\n",
        "events/meeting.md": "---\ntitle: Meeting\ndate: ../2015-09\npeople: [ana]\norganizations: [acme]\nplaces: [town]\n---\n",
        "events/decade.md": "---\ntitle: Decade\ndate: 198X\n---\n",
        "events/century.md": "---\ntitle: Century\ndate: \"19XX\"\n---\n",
        "events/span.md": "---\ntitle: Span\ndate: 2014-04-02%/2015-XX-XX\n---\n",
        "sources/paper.md": """
            ---
            title: A paper
            publisher: The Paper
            authors: [A. Writer]
            date: 2014-04
            url: https://example.org/a
            archive_url: https://archive.example.org/a
            accessed: 2024-01-02
            language: es
            kind: article
            via: wire
            ---
            """,
        "sources/wire.md": "---\ntitle: Wire\n---\n",
        "notes/untitled.md": "---\ndate: 2014\nauthors: [Desk]\n---\n# From the heading\n\nText.\n",
    ]

    /// Everything an entry holds, as text: `dump` walks every stored property.
    static func fields(_ entry: Entry) -> String {
        var text = ""
        dump(entry, to: &text)
        return text
    }

    @Test func anEntryFromTheCacheIsTheEntryReadFromItsFile() throws {
        var files: [ContentFile] = []
        for (path, text) in Self.everyField.sorted(by: { $0.key < $1.key }) {
            files.append(ContentFile(relativePath: path, displayPath: "Content/" + path, text: text))
        }
        for root in [Repository.content, Repository.fixtures.appendingPathComponent("site/Content")] {
            files += ContentLoader(root: root, displayRoot: "Content").load().notes.compactMap { note in
                if case .read(let file) = note { file } else { nil }
            }
        }
        var read = 0
        var covered = Set<String>()
        for file in files {
            guard let entry = EntryReader.read(file).entry else { continue }
            read += 1
            let bytes = EntryCodec.encode(entry)
            let decoded = try #require(EntryCodec.decode(bytes, lines: TextLines(file.text)), "\(file.relativePath)")
            #expect(Self.fields(decoded) == Self.fields(entry), "\(file.relativePath)")
            // Which properties this entry gives a value that is not the empty default.
            let blank = Entry(id: "", type: .note, file: "", idLocation: SourceLocation(file: "", line: 1, column: 1), title: "", lines: TextLines(""))
            for (child, empty) in zip(Mirror(reflecting: entry).children, Mirror(reflecting: blank).children) {
                if String(describing: child.value) != String(describing: empty.value) { covered.insert(child.label ?? "") }
            }
            // A damaged copy is refused, never half read.
            #expect(EntryCodec.decode(Array(bytes.dropLast()), lines: TextLines(file.text)) == nil)
        }
        #expect(read > 100)
        // Every stored property but the body (never cached) was exercised, so a property
        // the codec forgets makes the comparison above fail.
        let all = Set(Mirror(reflecting: Entry(id: "", type: .note, file: "", idLocation: SourceLocation(file: "", line: 1, column: 1), title: "", lines: TextLines(""))).children.compactMap(\.label))
        #expect(all.subtracting(covered) == ["body"])
    }

    @Test func anUnchangedNoteIsNotReadAgainAndAnEditedOneIs() throws {
        let dossier = try ScratchDossier(Self.everyField.merging([
            "notes/links.md": "# Links\n\n[[ana]] met [[acme]] in [[town]] at [[meeting]], [[decade]], [[century]] and [[span]] [@paper]; [[untitled]] [@wire].\n",
        ]) { $1 })
        defer { dossier.remove() }
        let first = try dossier.build()
        #expect(!first.report.hasErrors)
        #expect(first.notesRead == Self.everyField.count + 1)
        // The unknown key's warning comes back from the cache, with its position.
        let warning = "Content/people/ana.md:18:1: warning: unknown key 'nationalty' for a person"
        #expect(first.report.lines.contains(warning))

        try dossier.write("places/town.md", "---\nname: Town\nkind: village\ncountry: Spain\ncoordinates: [40.4168, -3.7038]\n---\n")
        let edited = try dossier.build()
        #expect(edited.notesRead == 1)
        #expect(edited.report.lines == first.report.lines)
        #expect(try dossier.page("places/town/index.html").contains("village"))
        #expect(try dossier.differencesFromFreshBuild() == [])

        // The memos the edited build kept as they were read (not encoded again) read back.
        try dossier.write("places/town.md", "---\nname: Town\nkind: hamlet\ncountry: Spain\ncoordinates: [40.4168, -3.7038]\n---\n")
        let again = try dossier.build()
        #expect(again.notesRead == 1)
        #expect(again.report.lines == first.report.lines)
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func aNoteIsReadOnlyIfItsStampChangedOrCouldChangeUnseen() throws {
        let dossier = try ScratchDossier(Self.everyField)
        defer { dossier.remove() }
        try dossier.ageContent()
        let notes = Self.everyField.count
        #expect(try dossier.build().notesOpened == notes)

        // A body edit (a front-matter edit makes every body read and resolved again).
        try dossier.write("places/town.md", Self.everyField["places/town.md"]! + "A market town.\n")
        let edited = try dossier.build()
        #expect(edited.notesOpened == 1)
        #expect(edited.notesRead == 1)

        // The same bytes written again: a new time, so read (but not parsed by Yams).
        // A note whose time is not older than the build's clock when it stamped the
        // notes is read every time: a rewrite in that clock tick would keep its stamp.
        let ana = try String(contentsOf: dossier.content.appendingPathComponent("people/ana.md"), encoding: .utf8)
        try dossier.write("people/ana.md", ana)
        try dossier.setModificationDate("people/ana.md", Date().addingTimeInterval(-7200))
        try dossier.setModificationDate("places/town.md", Date().addingTimeInterval(3600))
        #expect(try dossier.build().notesOpened == 2)
        let rewritten = try dossier.build()
        #expect(rewritten.notesOpened == 1)
        #expect(rewritten.notesRead == 0)
        #expect(try dossier.page("places/town/index.html").contains("A market town."))
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func aPageIsNeverMadeFromBytesOtherThanThoseTheAnalysisSaw() throws {
        let dossier = try ScratchDossier(Self.everyField)
        defer { dossier.remove() }
        let first = Analysis.analyze(content: dossier.content, displayPath: "Content")
        // Every note unchanged: none is read, memos stand in, pages resolve from the file.
        let second = Analysis.analyze(content: dossier.content, displayPath: "Content", memos: first.memos, isUnchanged: { _ in true })
        #expect(second.notesOpened == 0)
        #expect(second.diagnostics.map(\.formatted) == first.diagnostics.map(\.formatted))
        let page = try #require(second.resolvedPage("ana"))
        #expect(page.bodyHTML == first.resolvedPage("ana")?.bodyHTML)
        #expect(page.bodyHTML.contains("Body."))

        // The note changes after the analysis: its page is refused, not mixed.
        let ana = try String(contentsOf: dossier.content.appendingPathComponent("people/ana.md"), encoding: .utf8)
        try dossier.write("people/ana.md", ana.replacingOccurrences(of: "Body.", with: "Body changed."))
        #expect(second.resolvedPage("ana") == nil)
        #expect(second.resolvedPage("town") != nil)
    }
}
