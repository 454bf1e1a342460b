import DossierKit
import Foundation
import Testing

/// `dossier new`: the id, the folder, never overwriting, and a note that passes `check`.
struct NewEntryTests {
    private static let day = Date(timeIntervalSince1970: 1_447_372_800)  // 2015-11-13

    @Test func foldsDiacriticsIntoTheSlugAndPicksTheFolder() throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let created = try NewEntry.create(.person, title: "Ismaël Omar Mostefaï", content: dossier.content, contentDisplay: "Content")
        #expect(created.id == "ismael-omar-mostefai")
        #expect(created.displayPath == "Content/people/ismael-omar-mostefai.md")
        #expect(created.file.path == dossier.content.appendingPathComponent("people/ismael-omar-mostefai.md").path)
        #expect(try dossier.read("people/ismael-omar-mostefai.md").hasPrefix("---\nname: \"Ismaël Omar Mostefaï\"\n"))

        let folders: [(EntryType, String, String)] = [
            (.organization, "Direction générale de la sécurité intérieure", "organizations/direction-generale-de-la-securite-interieure.md"),
            (.place, "Saint-Denis", "places/saint-denis.md"),
            (.event, "Raid on  the flat\nin Saint-Denis", "events/raid-on-the-flat-in-saint-denis.md"),
            (.source, "L'Œuvre: « Comment »", "sources/l-oeuvre-comment.md"),
            (.note, "Open questions", "notes/open-questions.md"),
        ]
        for (type, title, path) in folders {
            let made = try NewEntry.create(type, title: title, content: dossier.content, contentDisplay: "Content/")
            #expect(made.displayPath == "Content/" + path)
        }
    }

    @Test func refusesToOverwriteOrReuseAnId() throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let first = try NewEntry.create(.note, title: "Open questions", content: dossier.content)
        try Data("edited by hand\n".utf8).write(to: first.file)

        #expect {
            try NewEntry.create(.note, title: "Open Questions!", content: dossier.content)
        } throws: { error in
            let failure = error as! NewEntry.Failure
            return failure.isContentProblem && failure.description.contains("already exists")
        }
        #expect(try String(contentsOf: first.file, encoding: .utf8) == "edited by hand\n")
        // The id is taken in another folder (ids are unique across the dossier).
        #expect {
            try NewEntry.create(.event, title: "Lyon", content: dossier.content)
        } throws: { error in
            let failure = error as! NewEntry.Failure
            return failure.isContentProblem && failure.description.contains("places/lyon.md")
        }
        #expect(!FileManager.default.fileExists(atPath: dossier.content.appendingPathComponent("events/lyon.md").path))
        // No letters or digits, no id.
        #expect(throws: NewEntry.Failure.self) { try NewEntry.create(.note, title: "« — »", content: dossier.content) }
        // A missing content folder is an environment problem (exit status 2).
        #expect {
            try NewEntry.create(.note, title: "X", content: dossier.folder.appendingPathComponent("Nope"))
        } throws: { error in
            !(error as! NewEntry.Failure).isContentProblem
        }
    }

    @Test func everyNewNotePassesCheckWithoutErrors() throws {
        let dossier = try TestDossier()
        defer { dossier.remove() }
        let before = try Builder.check(dossier.options).report
        #expect(before.errorCount == 0)
        let tricky = #"He said "no" \ then: {left} # [not a list] — 'quoted' `tick` \n"#
        var created: [NewEntry.Created] = []
        for (type, title) in [(EntryType.person, "Ismaël Omar Mostefaï"), (.organization, "Direction générale"), (.place, "Saint-Denis"),
                              (.event, "Raid in Saint-Denis"), (.source, "Comment la DGSI a perdu la trace"), (.note, tricky)] {
            created.append(try NewEntry.create(type, title: title, content: dossier.content, contentDisplay: dossier.content.path, today: Self.day))
        }
        let report = try Builder.check(dossier.options).report
        #expect(report.errorCount == 0, "\(report.listing)")
        // The titles read back exactly as typed (YAML double-quoted, escaped).
        let index = Analysis.analyze(content: dossier.content, displayPath: dossier.content.path).index
        #expect(index[created[0].id]?.title == "Ismaël Omar Mostefaï")
        #expect(index[created[5].id]?.title == tricky)
        #expect(index[created[3].id]?.date != nil)
        #expect(try dossier.read("events/raid-in-saint-denis.md").contains("\ndate: 2015-11-13\n"))
        // And the site builds with them.
        let built = try Builder.build(dossier.options)
        #expect(!built.report.hasErrors)
        #expect(FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("events/raid-in-saint-denis/index.html").path))
        // Warnings about the new notes are expected (empty notes, nothing cites them); list them for the record.
        let fresh = Set(created.map(\.file.path))
        let newWarnings = report.diagnostics.filter { fresh.contains($0.location.file) }
        print("warnings on new notes:\n" + newWarnings.map(\.formatted).joined(separator: "\n"))
    }

    @Test func quotesYAMLSafely() {
        #expect(NewEntry.yamlQuoted(#"a "b" \c"#) == #""a \"b\" \\c""#)
        #expect(NewEntry.yamlQuoted("tab\there\u{7}") == #""tab\there\u0007""#)
        #expect(NewEntry.yamlQuoted("line\u{2028}sep") == #""line\u2028sep""#)
    }
}

extension NewEntryTests {
    @Test func slugsSpellOutLigatures() {
        #expect(NewEntry.slug("Ismaël Omar Mostefaï") == "ismael-omar-mostefai")
        #expect(NewEntry.slug("L'Œuvre: « Comment »") == "l-oeuvre-comment")
        #expect(NewEntry.slug("Straße — Øresund") == "strasse-oresund")
        #expect(NewEntry.slug("BATACLAN (Paris 11e)") == "bataclan-paris-11e")
    }
}
