import Foundation
import Testing
@testable import DossierKit

@Suite struct SafetyTests {
    @Test func failedBuildLeavesThePreviousSiteUntouched() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        _ = try dossier.build()
        let before = try snapshot(dossier.output)
        try dossier.write("notes/broken.md", "---\ntitle: Broken\n---\nSee [[no-such-entry]].\n")
        let failed = try dossier.build()
        #expect(failed.report.hasErrors)
        #expect(try snapshot(dossier.output) == before)
        // No staging or retired folder is left; the build cache still describes Site/.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dossier.folder.path).sorted()
        #expect(siblings == [".Site.cache", ".Site.memos", "Content", "Site"])
    }

    /// A first build that fails leaves nothing beside the output: no staging folder, no
    /// spare, no cache.
    @Test func aFailedFirstBuildLeavesNothingBehind() throws {
        let dossier = try ScratchDossier([
            "people/ada-moreau.md": "---\nname: Ada Moreau\n---\nSee [[no-such-entry]].\n",
            "places/lyon.md": "---\nname: Lyon\n---\nA city.\n",
        ])
        defer { dossier.remove() }
        let failed = try dossier.build()
        #expect(failed.report.hasErrors)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dossier.folder.path).sorted()
        #expect(siblings == ["Content"])
    }

    /// A `type:` or `id:` key that overrides what the note's folder and file name say puts
    /// the page where the entry says, and leaves no empty folder in the site.
    @Test func typeAndIdKeysPutPagesWhereTheEntrySays() throws {
        let dossier = try ScratchDossier([
            "people/ada-moreau.md": "---\nname: Ada Moreau\nsources: [report]\n---\nWorks for [[acme]] in [[lyon]].\n",
            "people/acme.md": "---\ntype: organization\nname: Acme\n---\nA firm, see [[ada-moreau]].\n",
            "places/old-name.md": "---\nid: lyon\nname: Lyon\n---\nA city, see [[ada-moreau]].\n",
            "sources/report.md": "---\ntitle: A report\n---\nCited by [[ada-moreau]] [@report].\n",
        ])
        defer { dossier.remove() }
        let result = try dossier.build()
        #expect(!result.report.hasErrors, "\(result.report.listing)")
        let site = dossier.output.path
        #expect(FileManager.default.fileExists(atPath: site + "/organizations/acme/index.html"))
        #expect(FileManager.default.fileExists(atPath: site + "/places/lyon/index.html"))
        #expect(FileManager.default.fileExists(atPath: site + "/people/ada-moreau/index.html"))
        #expect(!FileManager.default.fileExists(atPath: site + "/people/acme"))
        #expect(!FileManager.default.fileExists(atPath: site + "/places/old-name"))
        // Every folder of the site holds something.
        let folders = FileTree.everything(under: site).folders
        let empty = folders.filter { (try? FileManager.default.contentsOfDirectory(atPath: site + "/" + $0).isEmpty) ?? true }
        #expect(empty.isEmpty, "empty folders: \(empty)")
        // The staging folder was swapped in: nothing else is left beside the site.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dossier.folder.path).sorted()
        #expect(siblings == [".Site.cache", ".Site.memos", "Content", "Site"])
    }

    /// `rm -rf Site` leaves the cache beside it: the next build makes every page again,
    /// byte for byte as before, and the one after an edit writes only that page.
    @Test func aSiteDeletedWithItsCacheKeptIsMadeAgainInFull() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        _ = try dossier.build()
        func contents() throws -> [String: Data] {
            try Dictionary(uniqueKeysWithValues: FileTree.files(under: dossier.output.path).map {
                ($0.path, try Data(contentsOf: dossier.output.appendingPathComponent($0.path)))
            })
        }
        let before = try contents()
        try FileManager.default.removeItem(at: dossier.output)
        let again = try dossier.build()
        #expect(!again.report.hasErrors)
        #expect(again.rendered == again.pages)
        #expect(try contents() == before)
        let notes = FileTree.files(under: dossier.content.path).map(\.path).filter { $0.hasPrefix("notes/") }
        let note = try #require(notes.first)
        try dossier.write(note, try String(contentsOf: dossier.content.appendingPathComponent(note), encoding: .utf8) + "\nOne more sentence.\n")
        let edited = try dossier.build()
        #expect(!edited.report.hasErrors)
        #expect(edited.stats.written == 1, "\(edited.outputSummary)")
    }

    @Test func aBuildInterruptedMidSwapIsRepairedByTheNextRun() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        _ = try dossier.build()
        // As if killed between the two renames: Site/ moved aside, staging half-written.
        let retired = dossier.folder.appendingPathComponent(".Site.old")
        let staging = dossier.folder.appendingPathComponent(".Site.staging")
        try FileManager.default.moveItem(at: dossier.output, to: retired)
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("people"), withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: staging.appendingPathComponent("people/partial.html"))
        try dossier.write("notes/broken.md", "---\ntitle: Broken\n---\n[[nobody]]\n")
        let failed = try dossier.build()
        #expect(failed.report.hasErrors)
        // Nothing was written, but the previous site is back where it belongs; the
        // half-written staging folder is kept as the spare for the next build.
        #expect(FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("index.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dossier.folder.path).sorted() == [".Site.cache", ".Site.memos", ".Site.spare", "Content", "Site"])
        // Building from that spare leaves nothing of the interrupted run in the site.
        try FileManager.default.removeItem(at: dossier.content.appendingPathComponent("notes/broken.md"))
        let repaired = try dossier.build()
        #expect(!repaired.report.hasErrors)
        #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("people/partial.html").path))
    }

    @Test func nothingAddedToTheSpareSiteReachesTheSite() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.ageContent()
        // The second build retires the first's site as the spare, listed by the cache;
        // the third stages into it, reading only folders whose time changed since.
        let durand = "people/jerome-durand.md"
        let text = try String(contentsOf: dossier.content.appendingPathComponent(durand), encoding: .utf8)
        _ = try dossier.build()
        try dossier.write(durand, text + "\nOne more line.\n")
        _ = try dossier.build()
        let spare = dossier.folder.appendingPathComponent(".Site.spare")
        #expect(FileManager.default.fileExists(atPath: spare.appendingPathComponent("index.html").path))
        let planted = ["people/planted.html", "people/jerome-durand/extra.html", "extra/page.html", "stray.html"]
        for path in planted {
            let url = spare.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("planted".utf8).write(to: url)
        }
        try dossier.write(durand, text + "\nTwo more lines.\n")
        let rebuilt = try dossier.build()
        #expect(!rebuilt.report.hasErrors)
        for path in planted { #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent(path).path), "\(path)") }
        #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("extra").path))
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func aPageTheLastBuildReplacedIsNotTakenFromTheSpare() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.ageContent()
        let notes = ["people/jerome-durand.md", "people/elodie-marchal.md", "notes/overview.md"]
        let texts = try notes.map { try String(contentsOf: dossier.content.appendingPathComponent($0), encoding: .utf8) }
        _ = try dossier.build()
        // Each build edits one more note. From the third on, the build stages into the
        // site before last, whose copy of the page edited by the build before is stale.
        var inodes: [String: UInt64] = [:]
        for (round, (note, text)) in zip(notes, texts).enumerated() {
            let pages = FileTree.files(under: dossier.output.path).map(\.path).filter { $0.hasSuffix(".html") }
            inodes = try Dictionary(uniqueKeysWithValues: pages.map { ($0, try inode(dossier.output.appendingPathComponent($0))) })
            try dossier.write(note, text + "\nEdit number \(round).\n")
            let edited = try dossier.build()
            #expect(edited.rendered == 1, "\(note)")
            #expect(edited.stats.written == 1, "\(note)")
        }
        for (round, note) in notes.enumerated() {
            let page = String(note.dropLast(".md".count)) + "/index.html"
            #expect(try dossier.page(page).contains("Edit number \(round)."), "\(page) lost its edit")
        }
        // The last build replaced its own page only; every other file is the one before.
        let edited = "notes/overview/index.html"
        for (path, before) in inodes where path != edited {
            #expect(try inode(dossier.output.appendingPathComponent(path)) == before, "\(path) was replaced")
        }
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func unchangedFilesKeepTheirModificationTime() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        _ = try dossier.build()
        let css = dossier.output.appendingPathComponent("assets/dossier.css")
        let stamp = try FileManager.default.attributesOfItem(atPath: css.path)[.modificationDate] as! Date
        let again = try dossier.build()
        #expect(again.stats.written == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: css.path)[.modificationDate] as! Date == stamp)
    }

    @Test func noChangeRebuildReportsTheSameAndAnEditRebuilds() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.write("sources/unused.md", "---\ntitle: Unused\n---\n")
        let first = try dossier.build()
        #expect(first.report.lines == ["Content/sources/unused.md:1:1: warning: source 'unused' is never cited"])
        let again = try dossier.build()
        #expect(again.report.lines == first.report.lines)
        #expect(again.pages == first.pages)
        #expect(again.stats.written == 0)
        try dossier.write("notes/overview.md", "# Overview of the case\n\nNow it links [[unused]] too [@gazette-2019].\n")
        let edited = try dossier.build()
        #expect(edited.report.diagnostics.isEmpty)
        #expect(edited.stats.written > 0)
        #expect(try dossier.page("notes/overview/index.html").contains("href=\"../../sources/unused/index.html\""))
        // A page edited by hand in the output is rebuilt, not trusted.
        try Data("tampered".utf8).write(to: dossier.output.appendingPathComponent("index.html"))
        _ = try dossier.build()
        #expect(try dossier.page("index.html").hasPrefix("<!DOCTYPE html>"))
    }

    /// With nothing changed in the content, a rebuild still looks at the whole output:
    /// it ends with exactly the site, whatever was added to it (hidden or not) or taken
    /// away, as a rebuild after an edit would. It reads no folder for that: a folder's
    /// time changes when anything is put in it (see `BuildCache.siteIsAsLeft`).
    @Test func aRebuildWithNoContentChangeUndoesWhatWasDoneToTheSite() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.ageContent()
        _ = try dossier.build()
        #expect(try dossier.build().stats.written == 0)
        func plant(_ paths: [String]) throws {
            for path in paths {
                let url = dossier.output.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("planted".utf8).write(to: url)
            }
        }
        try plant(["people/jerome-durand/.hidden"])
        #expect(try dossier.build().stats.written == 0)
        #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("people/jerome-durand/.hidden").path))
        let planted = ["people/jerome-durand/extra.html", "extra/page.html", ".stray"]
        try plant(planted)
        let removed = dossier.output.appendingPathComponent("sources/gazette-2019/index.html")
        try FileManager.default.removeItem(at: removed)
        let rebuilt = try dossier.build()
        #expect(!rebuilt.report.hasErrors)
        #expect(rebuilt.stats.written == 1)
        // The site the first planting was swapped out with is this build's staging folder.
        for path in planted + ["people/jerome-durand/.hidden"] {
            #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent(path).path), "\(path)")
        }
        #expect(FileManager.default.fileExists(atPath: removed.path))
        #expect(try dossier.differencesFromFreshBuild() == [])
        #expect(try dossier.build().stats.written == 0)
    }

    @Test func aRebuildRendersOnlyPagesWhoseContextChanged() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let first = try dossier.build()
        #expect(first.rendered == first.pages)
        let pages = FileTree.files(under: dossier.output.path).map(\.path).filter { $0.hasSuffix(".html") }
        let inodes = try Dictionary(uniqueKeysWithValues: pages.map { ($0, try inode(dossier.output.appendingPathComponent($0))) })

        // A body edit that changes no link or citation touches that page alone.
        let durand = "people/jerome-durand.md"
        let text = try String(contentsOf: dossier.content.appendingPathComponent(durand), encoding: .utf8)
        try dossier.write(durand, text.replacingOccurrences(of: "co-founded the foundation", with: "set up the foundation"))
        let edited = try dossier.build()
        #expect(edited.rendered == 1)
        #expect(edited.stats.written == 1)
        #expect(try dossier.page("people/jerome-durand/index.html").contains("set up the foundation"))
        for path in pages where path != "people/jerome-durand/index.html" {
            #expect(try inode(dossier.output.appendingPathComponent(path)) == inodes[path], "\(path) was replaced")
        }

        // A rename reaches every page that shows the name. The build from scratch kept no
        // context digests (it had nothing to compare them with), so this first rebuild
        // whose shared inputs changed renders every page; it still replaces only the
        // files whose bytes changed.
        let marchal = "people/elodie-marchal.md"
        let person = try String(contentsOf: dossier.content.appendingPathComponent(marchal), encoding: .utf8)
        let beforeRename = try Dictionary(uniqueKeysWithValues: pages.map { ($0, try inode(dossier.output.appendingPathComponent($0))) })
        try dossier.write(marchal, person
            .replacingOccurrences(of: "name: Élodie Marchal", with: "name: Élodie Marchal-Vasseur")
            .replacingOccurrences(of: "aliases: [La Comtesse,", with: "aliases: [Élodie Marchal, La Comtesse,"))
        let renamed = try dossier.build()
        #expect(renamed.report.diagnostics.isEmpty)
        let showingNewName = try pages.filter { try dossier.page($0).contains("Élodie Marchal-Vasseur") }
        #expect(showingNewName.count > 3)
        #expect(renamed.rendered == renamed.pages)
        #expect(renamed.stats.written == showingNewName.count)
        for path in pages {
            let html = try dossier.page(path)
            #expect(!html.replacingOccurrences(of: "Élodie Marchal-Vasseur", with: "").contains(">Élodie Marchal</a>"), "\(path) still links with the old name")
            if !showingNewName.contains(path) {
                #expect(try inode(dossier.output.appendingPathComponent(path)) == beforeRename[path], "\(path) was replaced")
            }
        }
        // That build kept the digests: the next rename renders only the pages that show the name.
        try dossier.write(marchal, person
            .replacingOccurrences(of: "name: Élodie Marchal", with: "name: Élodie Vasseur")
            .replacingOccurrences(of: "aliases: [La Comtesse,", with: "aliases: [Élodie Marchal, La Comtesse,"))
        let renamedAgain = try dossier.build()
        let showingLatestName = try pages.filter { try dossier.page($0).contains("Élodie Vasseur") }
        #expect(showingLatestName.count > 3)
        #expect(renamedAgain.rendered >= showingLatestName.count && renamedAgain.rendered < renamedAgain.pages)
        #expect(try dossier.differencesFromFreshBuild() == [])
        // A page removed from the content is gone, though the spare (the site before
        // last) still had it.
        try dossier.write("notes/extra.md", "# Extra\n\nAbout [[jerome-durand]] [@gazette-2019, p. 9].\n")
        _ = try dossier.build()
        #expect(FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("notes/extra/index.html").path))
        try dossier.write(durand, text)
        _ = try dossier.build()
        try FileManager.default.removeItem(at: dossier.content.appendingPathComponent("notes/extra.md"))
        let removed = try dossier.build()
        #expect(!removed.report.hasErrors)
        #expect(!FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent("notes/extra").path))
        #expect(!(try dossier.page("people/jerome-durand/index.html")).contains("notes/extra/"))

        // The whole site equals a build from scratch.
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func anUnchangedBodyIsNotResolvedAgainUnlessSomethingItReadsChanged() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.ageContent()
        let notes = FileTree.files(under: dossier.content.path).filter { $0.path.hasSuffix(".md") }.count
        #expect(try dossier.build().bodiesResolved == notes)

        // A body gains a link to Lyon: only that body is resolved again. Lyon's page gains
        // the back-link though its own note did not change (it is resolved for rendering).
        let trip = "events/trip-abroad.md"
        let tripText = try String(contentsOf: dossier.content.appendingPathComponent(trip), encoding: .utf8)
        try dossier.write(trip, tripText + "\nThe trip began in [[lyon]].\n")
        let linked = try dossier.build()
        #expect(linked.bodiesResolved == 1)
        #expect(linked.rendered == 2)
        // Lyon's note was not even read until its page needed its body.
        #expect(linked.notesOpened == 1)
        #expect(try dossier.page("places/lyon/index.html").contains("href=\"../../events/trip-abroad/index.html\""))
        #expect(try dossier.differencesFromFreshBuild() == [])

        // The link goes again and a citation comes: the page the body linked to before
        // loses its back-link and the newly cited source lists the event, though neither
        // note changed (a page's inputs are taken from the last build only for pages no
        // changed body touches, then or now).
        let registry = "sources/registry-extract/index.html"
        func mentionedIn(_ page: String) throws -> String {
            let html = try dossier.page(page)
            return html.components(separatedBy: "id=\"section-mentions\"").dropFirst().first?.components(separatedBy: "</section>").first ?? ""
        }
        #expect(try mentionedIn("places/lyon/index.html").contains("events/trip-abroad/"))
        #expect(try !dossier.page(registry).contains("events/trip-abroad/"))
        try dossier.write(trip, tripText + "\nThe trip is on record [@registry-extract, p. 2].\n")
        let relinked = try dossier.build()
        #expect(relinked.bodiesResolved == 1)
        #expect(relinked.rendered == 3)
        #expect(try !mentionedIn("places/lyon/index.html").contains("events/trip-abroad/"))
        #expect(try dossier.page(registry).contains("events/trip-abroad/"))
        #expect(try dossier.differencesFromFreshBuild() == [])

        // A new heading is an anchor any body may link to: every body is resolved again,
        // and still only the page that shows it changes (every page is rendered: the
        // build from scratch kept no context digests to compare with).
        let lyon = "places/lyon.md"
        let lyonText = try String(contentsOf: dossier.content.appendingPathComponent(lyon), encoding: .utf8)
        try dossier.write(lyon, lyonText + "\n## Old town\n\nStreets [@registry-extract].\n")
        let headed = try dossier.build()
        #expect(headed.bodiesResolved == notes)
        #expect(headed.notesOpened == notes)
        #expect(headed.stats.written == 1)
        #expect(try dossier.page("places/lyon/index.html").contains("id=\"old-town\""))

        // A note without `title:` is named by its heading: editing that heading renames it
        // on every page that links to it.
        let overview = "notes/overview.md"
        let overviewText = try String(contentsOf: dossier.content.appendingPathComponent(overview), encoding: .utf8)
        try dossier.write(overview, overviewText.replacingOccurrences(of: "# Overview of the case", with: "# Overview of the affair"))
        let retitled = try dossier.build()
        #expect(retitled.bodiesResolved == notes)
        #expect(try dossier.page("index.html").contains("Overview of the affair"))
        #expect(try !dossier.page("index.html").contains("Overview of the case"))
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func aBodyEditWarnsAndRendersAsABuildFromScratch() throws {
        let dossier = try ScratchDossier([
            "sources/src.md": Notes.source,
            "people/ana.md": Notes.person("Ana"),
            "people/bob.md": "---\nname: Bob\n---\nNo sources.\n",
            "people/cleo.md": "---\nname: Cleo\n---\nNobody links here.\n",
            "people/dan.md": Notes.person("Dan"),
            "notes/n.md": "---\ntitle: N\n---\nAbout [[bob]] and [[ana]] [@src].\n",
            "notes/m.md": "---\ntitle: M\n---\nOn [[dan]] [@src, p. 4].\n",
        ])
        defer { dossier.remove() }
        try dossier.ageContent()
        _ = try dossier.build()
        func warnings(_ report: DiagnosticReport) -> [String] { report.lines.filter { $0.contains("warning") } }

        // Bob loses his only link. Only the edited body is resolved, and only the pages it
        // touches are looked at again; the warnings are those of a build from scratch: Bob's
        // new, Cleo's (untouched) kept from the last build.
        try dossier.write("notes/n.md", "---\ntitle: N\n---\nAbout [[ana]] [@src].\n")
        let unlinked = try dossier.build()
        #expect(unlinked.bodiesResolved == 1)
        #expect(warnings(unlinked.report).contains("Content/people/bob.md:1:1: warning: orphan: nothing links to 'bob'"))
        #expect(warnings(unlinked.report).contains("Content/people/cleo.md:1:1: warning: orphan: nothing links to 'cleo'"))
        #expect(warnings(unlinked.report) == warnings(try dossier.check()))

        // The link comes back; and Dan's page, which no changed body touches, was deleted
        // by hand: it is made again with its back-links and its locator, as from scratch.
        try FileManager.default.removeItem(at: dossier.output.appendingPathComponent("people/dan/index.html"))
        try dossier.write("notes/n.md", "---\ntitle: N\n---\nAbout [[bob]] and [[ana]], twice [[bob]] [@src].\n")
        let relinked = try dossier.build()
        #expect(relinked.bodiesResolved == 1)
        #expect(!warnings(relinked.report).contains { $0.contains("nothing links to 'bob'") })
        #expect(warnings(relinked.report) == warnings(try dossier.check()))
        #expect(try dossier.page("people/dan/index.html").contains("notes/m/index.html"))
        #expect(try dossier.differencesFromFreshBuild() == [])
    }

    @Test func aDamagedBuildCacheIsIgnoredNotTrusted() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let pages = try dossier.build().pages
        let cache = dossier.folder.appendingPathComponent(".Site.cache")
        let bytes = try [UInt8](Data(contentsOf: cache))
        let durand = "people/jerome-durand.md"
        let text = try String(contentsOf: dossier.content.appendingPathComponent(durand), encoding: .utf8)
        // Cut short, then one byte changed in the middle, then not a cache at all.
        for (round, damaged) in [Array(bytes.prefix(bytes.count / 2)), bytes.enumerated().map { $0 == bytes.count / 2 ? $1 ^ 0xFF : $1 }, Array("{}".utf8)].enumerated() {
            try Data(damaged).write(to: cache)
            try dossier.write(durand, text + "\nEdit \(round).\n")
            let rebuilt = try dossier.build()
            #expect(!rebuilt.report.hasErrors)
            #expect(rebuilt.pages == pages)
            #expect(try dossier.page("people/jerome-durand/index.html").contains("Edit \(round)."))
            #expect(try dossier.differencesFromFreshBuild() == [])
        }
    }

    @Test func anOutputThatWasASymbolicLinkIsNeverWrittenThrough() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let elsewhere = dossier.folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: elsewhere.appendingPathComponent("sentinel.txt"))
        try FileManager.default.createSymbolicLink(at: dossier.output, withDestinationURL: elsewhere)
        _ = try dossier.build()
        try dossier.write("notes/extra.md", "# Extra\n\nAbout [[jerome-durand]] [@gazette-2019, p. 9].\n")
        _ = try dossier.build()
        try dossier.write("notes/extra.md", "# Extra\n\nAgain about [[jerome-durand]] [@gazette-2019, p. 9].\n")
        let third = try dossier.build()
        #expect(!third.report.hasErrors)
        #expect(try dossier.page("notes/extra/index.html").contains("Again about"))
        // The folder the link pointed to is exactly as it was.
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == ["sentinel.txt"])

        // A spare that is a dangling link is dropped, not moved onto or written through.
        let spare = dossier.folder.appendingPathComponent(".Site.spare")
        try? FileManager.default.removeItem(at: spare)
        try FileManager.default.createSymbolicLink(atPath: spare.path, withDestinationPath: "/nonexistent/dossier-spare")
        try dossier.write("notes/extra.md", "# Extra\n\nOnce more about [[jerome-durand]] [@gazette-2019, p. 9].\n")
        let fourth = try dossier.build()
        #expect(!fourth.report.hasErrors)
        #expect(try dossier.page("notes/extra/index.html").contains("Once more about"))
    }

    func inode(_ url: URL) throws -> UInt64 {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? UInt64)
    }

    @Test func refusesOutputFoldersThatWouldDestroyWork() throws {
        let dossier = try ScratchDossier(["sources/src.md": Notes.source])
        defer { dossier.remove() }
        let templates = Repository.templates
        let dangerous: [URL] = [
            dossier.content, dossier.folder, templates, templates.deletingLastPathComponent(),
            URL(fileURLWithPath: "/"), FileManager.default.homeDirectoryForCurrentUser,
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            dossier.content.appendingPathComponent("Site"),
        ]
        for output in dangerous {
            let options = BuildOptions(content: dossier.content, templates: templates, output: output)
            #expect(throws: EnvironmentError.self, "\(output.path)") { try Builder.build(options) }
        }
        #expect(FileManager.default.fileExists(atPath: dossier.content.appendingPathComponent("sources/src.md").path))
    }

    @Test func unsafeIdsNeverBecomePaths() throws {
        let dossier = try ScratchDossier([
            "sources/src.md": Notes.source,
            "people/x.md": "---\nid: ../../escape\nname: X\n---\n",
            "people/Upper Case.md": "---\nname: Y\n---\n",
        ])
        defer { dossier.remove() }
        let report = try dossier.build().report
        #expect(report.lines.contains("Content/people/x.md:2:5: error: unsafe id '../../escape': ids must be lowercase letters, digits and hyphens"))
        #expect(report.lines.contains("Content/people/Upper Case.md:1:1: error: unsafe id 'Upper Case': ids must be lowercase letters, digits and hyphens"))
        #expect(!FileManager.default.fileExists(atPath: dossier.output.path))
        #expect(!FileManager.default.fileExists(atPath: dossier.folder.deletingLastPathComponent().appendingPathComponent("escape").path))
    }

    /// The writer's own check, behind the id rules: a path that is absolute, climbs out,
    /// or has an empty part is refused before anything is created, and the site stays.
    @Test func theWriterRefusesPathsThatLeaveTheOutputFolder() throws {
        let dossier = try ScratchDossier()
        defer { dossier.remove() }
        let writer = SiteWriter(output: dossier.output)
        let page = { (path: String) in OutputFile(path: path, content: .bytes(Data("x".utf8))) }
        _ = try writer.write([page("index.html")])
        for unsafe in ["../escape.html", "a/../../escape.html", "/tmp/escape.html", "a//b.html", "./a.html", "a/"] {
            #expect(throws: WriteError.self) { try writer.write([page("index.html"), page(unsafe)]) }
        }
        #expect(!FileManager.default.fileExists(atPath: dossier.folder.appendingPathComponent("escape.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dossier.output.path) == ["index.html"])
        #expect(!FileManager.default.fileExists(atPath: dossier.folder.appendingPathComponent(".Site.staging").path))
    }
    @Test func checkWritesNothing() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        _ = try dossier.check()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dossier.folder.path) == ["Content"])
    }

    /// Every file's bytes and modification time, by path.
    func snapshot(_ folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder.path)! {
            let url = folder.appendingPathComponent(path)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let data = try Data(contentsOf: url)
            result[path] = "\(data.hashValue)-\(data.count)-\(attributes[.modificationDate]!)"
        }
        return result
    }
}

@Suite struct TemplateAndAssetTests {
    /// A copy of the repository's templates with one file replaced.
    func templates(replacing name: String, with text: String, in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Repository.templates, to: copy)
        try Data(text.utf8).write(to: copy.appendingPathComponent(name))
        return copy
    }

    /// Shared fragments are rendered once and reused, but stay ordinary templates: editing
    /// one changes every page that shows it, and deleting one is an error, not blank lists.
    @Test func sharedFragmentPartialsAreTemplatesLikeAnyOther() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let edited = try templates(replacing: "entry-link.mustache", with: "<a class=\"mention\" href=\"{{href}}\">{{title}} ({{type_label}})</a>\n", in: dossier.folder)
        let built = try Builder.build(BuildOptions(content: dossier.content, templates: edited, output: dossier.output))
        #expect(built.report.errorCount == 0)
        let page = try dossier.page("people/elodie-marchal/index.html")
        #expect(page.contains("<li><a class=\"mention\" href=\"../../people/jerome-durand/index.html\">Jérôme Durand (Person)</a></li>"))
        #expect(!page.contains("<span class=\"muted\">Person</span></li>"))

        try FileManager.default.removeItem(at: edited.appendingPathComponent("note-source.mustache"))
        let before = try dossier.page("people/elodie-marchal/index.html")
        let broken = try Builder.build(BuildOptions(content: dossier.content, templates: edited, output: dossier.output))
        #expect(broken.report.lines.contains("Templates/note-source.mustache:1:1: error: missing template 'note-source.mustache'"))
        #expect(try dossier.page("people/elodie-marchal/index.html") == before)
    }

    @Test func templateSyntaxErrorIsLocated() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let broken = try templates(replacing: "404.mustache", with: "{{<layout}}\n{{$main}}\n<p>{{#open}}never closed</p>\n{{/main}}\n{{/layout}}\n", in: dossier.folder)
        let result = try Builder.build(BuildOptions(content: dossier.content, templates: broken, output: dossier.output, templatesDisplay: "Templates"))
        let diagnostic = try #require(result.report.first(containing: "template syntax error"))
        #expect(diagnostic.location.file == "Templates/404.mustache")
        #expect(diagnostic.location.line == 4)
        #expect(!FileManager.default.fileExists(atPath: dossier.output.path))
    }

    @Test func unknownPartialIsLocated() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let broken = try templates(replacing: "404.mustache", with: "{{<layout}}\n{{$main}}\n  <p>{{> missing-partial}}</p>\n{{/main}}\n{{/layout}}\n", in: dossier.folder)
        let result = try Builder.build(BuildOptions(content: dossier.content, templates: broken, output: dossier.output))
        #expect(result.report.lines.contains("Templates/404.mustache:3:6: error: unknown partial 'missing-partial'"))
    }

    @Test func twoFilesWritingOneOutputPathIsAnError() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        try dossier.write("assets/dossier.css", "body { color: red }")
        let result = try dossier.build()
        #expect(result.report.lines.contains("Content/assets/dossier.css:1:1: error: two files write the same output path 'assets/dossier.css'"))
    }

    @Test func symlinkOutOfTheContentFolderIsNotFollowed() throws {
        let dossier = try ScratchDossier(copying: "site")
        defer { dossier.remove() }
        let secret = dossier.folder.appendingPathComponent("secret.md")
        try Data("---\ntitle: Secret\n---\nPrivate.\n".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(at: dossier.content.appendingPathComponent("notes/secret.md"), withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(at: dossier.content.appendingPathComponent("assets/secret.txt"), withDestinationURL: secret)
        let result = try dossier.build()
        #expect(result.report.lines.contains("Content/notes/secret.md:1:1: error: symbolic link points outside the content folder; not followed"))
        #expect(result.report.lines.contains("Content/assets/secret.txt:1:1: error: symbolic link points outside the content folder; not followed"))
    }
}
