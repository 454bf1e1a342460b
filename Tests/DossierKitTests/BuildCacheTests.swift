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

    /// Everything an entry holds, as text: `dump` walks every stored property (the details
    /// an entry from the cache still holds encoded are decoded first, by reading one).
    static func fields(_ entry: Entry) -> String {
        _ = entry.bodyFirstLine
        var text = ""
        for (label, value) in storedProperties(entry) where label != "pendingDetails" {
            text += label + ": "
            dump(value, to: &text)
        }
        return text
    }

    /// An entry's stored properties, with those of its details (`EntryDetails`) as
    /// `details.<name>`.
    static func storedProperties(_ entry: Entry) -> [(label: String, value: Any)] {
        Mirror(reflecting: entry).children.flatMap { child -> [(label: String, value: Any)] in
            let label = child.label ?? ""
            guard label == "storedDetails" else { return [(label, child.value)] }
            // Kept apart: an optional box (nil until decoded) whose `value` is the details.
            guard let box = Mirror(reflecting: child.value).children.first?.value,
                  let details = Mirror(reflecting: box).children.first?.value else { return [("details", "none")] }
            return Mirror(reflecting: details).children.map { ("details." + ($0.label ?? ""), $0.value) }
        }
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
            let decoded = try #require(EntryCodec.decode(SharedBytes(bytes), lines: TextLines(file.text)), "\(file.relativePath)")
            #expect(Self.fields(decoded) == Self.fields(entry), "\(file.relativePath)")
            // As a memo holds it: a part of the cache's buffer, not starting at its first byte.
            let inBuffer = SharedBytes([0x80, 0x00] + bytes + [0x01])[2..<(bytes.count + 2)]
            let decodedInPlace = try #require(EntryCodec.decode(inBuffer, lines: TextLines(file.text)), "\(file.relativePath)")
            #expect(Self.fields(decodedInPlace) == Self.fields(entry), "\(file.relativePath)")
            // Given the file and title a memo holds (its own, or others), the same entry.
            for (knownFile, knownTitle) in [(entry.file, entry.title), (entry.file + "x", "x" + entry.title), ("", "")] {
                let decodedWithKnown = try #require(EntryCodec.decode(SharedBytes(bytes), lines: TextLines(file.text), file: knownFile, title: knownTitle))
                #expect(Self.fields(decodedWithKnown) == Self.fields(entry), "\(file.relativePath) given \(knownFile)")
            }
            // Which properties this entry gives a value that is not the empty default.
            let blank = Entry(id: "", type: .note, file: "", idLocation: SourceLocation(file: "", line: 1, column: 1), title: "", lines: TextLines(""))
            for (child, empty) in zip(Self.storedProperties(entry), Self.storedProperties(blank)) {
                if String(describing: child.value) != String(describing: empty.value) { covered.insert(child.label) }
            }
            // A damaged copy is refused, never half read: cut short, or with a byte of its
            // details (decoded only when read) changed.
            #expect(EntryCodec.decode(SharedBytes(bytes).dropLast(), lines: TextLines(file.text)) == nil)
            var damaged = bytes
            damaged[bytes.count - 12] ^= 0x04
            #expect(EntryCodec.decode(SharedBytes(damaged), lines: TextLines(file.text)) == nil)
            // Until its details are read, the entry knows how many references they hold.
            let pending = try #require(EntryCodec.decode(SharedBytes(bytes), lines: TextLines(file.text)))
            #expect(pending.frontMatterReferenceCount == entry.frontMatterReferenceCount)
        }
        #expect(read > 100)
        // Every stored property (the details' too) but the body, the folded title and
        // names, the title rank, the ordinal and the content hash (not the codec's: the
        // body is parsed, the names folded (or kept by the note's memo), ranked and
        // numbered by the index, the file hashed as it is read) was exercised, so a property the codec forgets makes the
        // comparison above fail. (`pendingDetails` is the codec's own, nil in a read entry.)
        let all = Set(Self.storedProperties(Entry(id: "", type: .note, file: "", idLocation: SourceLocation(file: "", line: 1, column: 1), title: "", lines: TextLines(""))).map(\.label))
        #expect(all.contains("details.sources"))
        #expect(all.subtracting(covered) == ["body", "foldedTitle", "foldedNames", "titleRank", "ordinal", "contentHash", "pendingDetails"])
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

    /// While no front-matter, title or heading changes, each front-matter reference names
    /// what it named in the last build (the memos remember it): the pages made from them,
    /// with every kind of reference, are a fresh build's.
    @Test func aBodyEditTakesTheFrontMatterTargetsFromTheMemos() throws {
        // Every file ends its last line, so text appended below is body, not front-matter.
        let files = Self.everyField.mapValues { $0.hasSuffix("\n") ? $0 : $0 + "\n" }
        let dossier = try ScratchDossier(files)
        defer { dossier.remove() }
        try dossier.ageContent()
        #expect(try dossier.build().frontMatterResolved)
        // Bodies of notes with sources, relations, affiliations, a parent, a via and an
        // event's people, organisations and places: each page is made again.
        for path in ["people/ana.md", "organizations/acme.md", "sources/paper.md", "events/meeting.md"] {
            try dossier.write(path, files[path]! + "More about [[town]] [@wire].\n")
        }
        let edited = try dossier.build()
        #expect(!edited.frontMatterResolved)
        #expect(edited.bodiesResolved == 4)
        let ana = try dossier.page("people/ana/index.html")
        #expect(ana.contains("funded by"))
        #expect(ana.contains("Chair"))
        #expect(try dossier.page("sources/paper/index.html").contains("../../sources/wire/index.html"))
        #expect(try dossier.differencesFromFreshBuild() == [])

        // A front-matter edit resolves every reference again.
        try dossier.write("sources/wire.md", "---\ntitle: The Wire\n---\n")
        let renamed = try dossier.build()
        #expect(renamed.frontMatterResolved)
        #expect(try dossier.page("sources/paper/index.html").contains("The Wire"))
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    /// A first build (no cache beside the output) stamps each note through the
    /// descriptor it reads it from, and the other content files after the analysis:
    /// its cache holds the same stamps as a pass over the content folder would.
    @Test func aFirstBuildRecordsTheStampOfEveryContentFile() throws {
        var files = Self.everyField
        files["dossier.yml"] = "title: Stamped\n"
        files["assets/map.txt"] = "a map\n"
        let dossier = try ScratchDossier(files)
        defer { dossier.remove() }
        try dossier.ageContent()
        #expect(try dossier.build().notesOpened == Self.everyField.count)
        let recorded = try #require(BuildCache.Head(for: dossier.output)).cache.inputs.filter { $0.key.hasPrefix("content/") }
        #expect(recorded == BuildCache.stamps(of: [("content", dossier.content)]))
        #expect(Set(recorded.keys) == Set(files.keys.map { "content/" + $0 }))
        // So a rebuild with nothing changed reads no note, and an edited asset is seen.
        #expect(try dossier.build().notesOpened == 0)
        try dossier.write("assets/map.txt", "a larger map\n")
        try dossier.setModificationDate("assets/map.txt", Date().addingTimeInterval(-1800))
        let assetEdited = try dossier.build()
        #expect(assetEdited.stats.written == 1)
        #expect(assetEdited.notesOpened == 0)
    }

    /// Each note's memo keeps its entry's names as the index folded them, for the next
    /// build's index, whether the note was read or its memo stood in for it.
    @Test func memosKeepTheNamesTheIndexFolded() throws {
        let dossier = try ScratchDossier(Self.everyField)
        defer { dossier.remove() }
        try dossier.ageContent()
        _ = try dossier.build()
        try dossier.write("places/town.md", Self.everyField["places/town.md"]! + "A market town.\n")
        _ = try dossier.build()
        let memos = try #require(BuildCache.Head(for: dossier.output)?.complete()?.memos?.byPath)
        #expect(memos.count == Self.everyField.count)
        for (path, memo) in memos {
            let names = try #require(memo.foldedNames, "\(path)")
            let entry = try #require(EntryCodec.decode(memo.entry, lines: TextLines.none), "\(path)")
            #expect(names.title == memo.body.title, "\(path)")
            #expect(names.titleKey == Fold.key(names.title), "\(path)")
            #expect(names.others == [Fold.key(entry.id)] + entry.aliases.map { Fold.key($0.value) }, "\(path)")
        }
    }

    /// A memo's lists of ids, read from the cache, are the lists that were written, whether
    /// walked whole or for a few wanted ids (repeats and order kept); written again, they
    /// are the same bytes; and a list whose bytes are not UTF-8 is a damaged cache.
    @Test func memoListsReadFromTheCacheAreTheListsWritten() throws {
        let ids = ["ada", "école-normale", "ada", "bob", "", "zoë"]
        let cited = [BodyMemo.CitedSource(sourceID: "paper", locators: ["p. 12", "ch. 3"]),
                     BodyMemo.CitedSource(sourceID: "zoë", locators: []),
                     BodyMemo.CitedSource(sourceID: "paper", locators: ["§ 4"])]
        var writer = CacheWriter()
        MemoStrings(ids).write(to: &writer)
        MemoCitations(cited).write(to: &writer)
        writer.write(7)
        let bytes = writer.bytes
        var reader = CacheReader(SharedBytes(bytes))
        let strings = try MemoStrings(reading: &reader)
        let citations = try MemoCitations(reading: &reader)
        #expect(try reader.int() == 7)
        #expect(reader.isAtEnd)

        #expect(strings.array == ids)
        #expect(Array(strings) == ids)
        #expect(citations.map(\.sourceID) == ["paper", "zoë", "paper"])
        #expect(citations.map(\.locators) == [["p. 12", "ch. 3"], [], ["§ 4"]])
        for wanted in [["ada"], ["zoë", "bob"], ["nobody"], ["paper"]] {
            let filter = MentionLists.Wanted(Set(wanted))
            var found: [String] = []
            strings.forEach(in: filter) { found.append($0) }
            #expect(found == ids.filter(wanted.contains), "\(wanted)")
            #expect(strings.contains(anyOf: filter) == ids.contains(where: wanted.contains), "\(wanted)")
            var sources: [String] = [], locators: [[String]] = []
            citations.forEach(in: filter) { sources.append($0.sourceID); locators.append($0.locators) }
            #expect(sources == cited.map(\.sourceID).filter(wanted.contains), "\(wanted)")
            #expect(locators == cited.filter { wanted.contains($0.sourceID) }.map(\.locators), "\(wanted)")
        }

        var again = CacheWriter()
        strings.write(to: &again)
        citations.write(to: &again)
        again.write(7)
        #expect(again.bytes == bytes)

        // "zoë" with its "ë" cut in half: no longer UTF-8.
        var damaged = CacheWriter()
        MemoStrings(["zoë"]).write(to: &damaged)
        var broken = damaged.bytes
        broken[broken.count - 1] = 0x41
        var brokenReader = CacheReader(SharedBytes(broken))
        #expect(throws: CacheReader.CacheBytesError.self) { try MemoStrings(reading: &brokenReader) }
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

    /// The memo base beside the cache: its inode and time, which change when it is written.
    static func memoBaseStamp(_ dossier: ScratchDossier) -> FileStamp? {
        FileStamp(path: dossier.folder.appendingPathComponent(".Site.memos").path)
    }

    @Test func anEditedNoteRewritesItsMemoInTheCacheNotTheMemoBase() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.ageContent()
        let first = try dossier.build()
        // The base is written again once more than an eighth of the memos differ from it.
        let notes = first.notesRead
        #expect(notes / 8 == 1, "the fixture has \(notes) notes: one edit stays in the cache, two do not")
        let base = try #require(Self.memoBaseStamp(dossier))
        let durand = "people/jerome-durand.md"
        let text = try String(contentsOf: dossier.content.appendingPathComponent(durand), encoding: .utf8)
        try dossier.write(durand, text + "\nOne more line.\n")
        try dossier.setModificationDate(durand, Date().addingTimeInterval(-1800))
        let edited = try dossier.build()
        #expect((edited.notesRead, edited.bodiesResolved) == (1, 1))
        #expect(Self.memoBaseStamp(dossier) == base)

        // The edited note is now left unread: its memo is the cache's, not the base's
        // older one (which would not match the file when its page is rendered). With a
        // second note edited, the base is written again.
        let overview = "notes/overview.md"
        let overviewText = try String(contentsOf: dossier.content.appendingPathComponent(overview), encoding: .utf8)
        try dossier.write(overview, overviewText + "\nA closing remark.\n")
        let again = try dossier.build()
        #expect(!again.report.hasErrors)
        #expect((again.notesOpened, again.notesRead) == (1, 1))
        let secondBase = try #require(Self.memoBaseStamp(dossier))
        #expect(secondBase != base)
        #expect(try dossier.page("people/jerome-durand/index.html").contains("One more line."))
        #expect(try dossier.differencesFromFreshBuild() == [])
        #expect(try dossier.build().stats.written == 0)

        // A rename changes what every body resolves against: every memo is made again.
        let marchal = "people/elodie-marchal.md"
        let person = try String(contentsOf: dossier.content.appendingPathComponent(marchal), encoding: .utf8)
        try dossier.write(marchal, person
            .replacingOccurrences(of: "name: Élodie Marchal", with: "name: Élodie Vasseur")
            .replacingOccurrences(of: "aliases: [La Comtesse,", with: "aliases: [Élodie Marchal, La Comtesse,"))
        let renamed = try dossier.build()
        #expect(!renamed.report.hasErrors)
        #expect(renamed.bodiesResolved == notes)
        #expect(Self.memoBaseStamp(dossier) != secondBase)
        #expect(try dossier.differencesFromFreshBuild() == [])

        // A note removed, then put back as it was.
        try FileManager.default.removeItem(at: dossier.content.appendingPathComponent(overview))
        let removed = try dossier.build()
        #expect(!removed.report.hasErrors)
        #expect(removed.pages == again.pages - 1)
        #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("notes/overview").path))
        try dossier.write(overview, overviewText)
        #expect(!(try dossier.build()).report.hasErrors)
        #expect(!(try dossier.page("notes/overview/index.html")).contains("A closing remark."))
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    /// Body edits build on one another without the memo base being written: each build
    /// knows which memos differ from the base from the last cache and its own edits, and
    /// never loses one of them (a lost memo would be the base's older one, standing in for
    /// a note whose file says otherwise).
    @Test func memosApartFromTheBaseAccumulateOverBodyEdits() throws {
        var files: [String: String] = [:]
        for number in 1...24 { files["notes/note-\(number).md"] = "---\ntitle: Note \(number)\n---\nBody of note \(number).\n" }
        let dossier = try ScratchDossier(files)
        defer { dossier.remove() }
        try dossier.ageContent()
        #expect(!(try dossier.build()).report.hasErrors)
        let base = try #require(Self.memoBaseStamp(dossier))
        var expected: [String: String] = [:]
        for (round, number) in [3, 17, 3].enumerated() {
            let path = "notes/note-\(number).md"
            let text = "---\ntitle: Note \(number)\n---\nBody of note \(number), edited in round \(round).\n"
            try dossier.write(path, text)
            try dossier.setModificationDate(path, Date().addingTimeInterval(-1800 + Double(round)))
            expected["notes/note-\(number)/index.html"] = "edited in round \(round)"
            let edited = try dossier.build()
            #expect((edited.notesRead, edited.bodiesResolved) == (1, 1))
            #expect(Self.memoBaseStamp(dossier) == base, "round \(round): 2 of 24 memos differ, under an eighth")
            let cache = try #require(BuildCache.Head(for: dossier.output)?.complete())
            #expect(Set(cache.memos?.apartFromBase?.differing ?? []) == Set(expected.keys.map { $0.replacingOccurrences(of: "/index.html", with: ".md") }))
        }
        // A build that edits nothing else takes the edited notes' memos from the cache.
        try dossier.write("notes/note-9.md", "---\ntitle: Note 9\n---\nBody of note 9, once more.\n")
        try dossier.setModificationDate("notes/note-9.md", Date().addingTimeInterval(-1700))
        let last = try dossier.build()
        #expect((last.notesOpened, last.bodiesResolved) == (1, 1))
        for (page, text) in expected { #expect(try dossier.page(page).contains(text), "\(page)") }
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func aMissingDamagedOrOtherMemoBaseMeansReadingEveryNote() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.ageContent()
        let first = try dossier.build()
        let notes = first.notesRead
        let baseURL = dossier.folder.appendingPathComponent(".Site.memos")
        let bytes = try Data(contentsOf: baseURL)
        // A rebuild with nothing changed reads only the first part of the cache, not the base.
        let aside = dossier.folder.appendingPathComponent("aside")
        try FileManager.default.moveItem(at: baseURL, to: aside)
        let unchanged = try dossier.build()
        #expect((unchanged.stats.written, unchanged.notesOpened, unchanged.pages) == (0, 0, first.pages))
        try FileManager.default.moveItem(at: aside, to: baseURL)
        let durand = "people/jerome-durand.md"
        let text = try String(contentsOf: dossier.content.appendingPathComponent(durand), encoding: .utf8)
        // Gone; cut short; one byte changed (same size, but written after the cache);
        // the same bytes as another file (another inode).
        let damages: [(String, () throws -> Void)] = [
            ("missing", { try FileManager.default.removeItem(at: baseURL) }),
            ("truncated", { try bytes.prefix(bytes.count / 2).write(to: baseURL) }),
            ("changed", { try Data(bytes.enumerated().map { $0 == bytes.count / 2 ? $1 ^ 0xFF : $1 }).write(to: baseURL) }),
            ("copied", {
                let copy = dossier.folder.appendingPathComponent("copy")
                try FileManager.default.copyItem(at: baseURL, to: copy)
                try FileManager.default.removeItem(at: baseURL)
                try FileManager.default.moveItem(at: copy, to: baseURL)
            }),
        ]
        for (round, (damage, apply)) in damages.enumerated() {
            try apply()
            try dossier.write(durand, text + "\nEdit \(round).\n")
            let rebuilt = try dossier.build()
            #expect(!rebuilt.report.hasErrors, "\(damage)")
            #expect(rebuilt.notesRead == notes, "\(damage)")
            #expect(try dossier.page("people/jerome-durand/index.html").contains("Edit \(round)."), "\(damage)")
            #expect(try dossier.differencesFromFreshBuild() == [], "\(damage)")
        }
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
        #expect(String(decoding: page.bodyHTML, as: UTF8.self).contains("Body."))

        // The note changes after the analysis: its page is refused, not mixed.
        let ana = try String(contentsOf: dossier.content.appendingPathComponent("people/ana.md"), encoding: .utf8)
        try dossier.write("people/ana.md", ana.replacingOccurrences(of: "Body.", with: "Body changed."))
        #expect(second.resolvedPage("ana") == nil)
        #expect(second.resolvedPage("town") != nil)
    }
}
