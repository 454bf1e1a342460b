import Foundation
import Testing
@testable import DossierKit

/// Builds the fixture dossier in `Fixtures/site` and reads the HTML it wrote.
@Suite final class SiteTests {
    let dossier: ScratchDossier
    let result: BuildResult

    init() throws {
        dossier = try ScratchDossier(copying: "site")
        result = try dossier.build()
    }

    // Each test has its own instance: its scratch folder goes with it.
    deinit { dossier.remove() }

    @Test func buildsWithoutDiagnostics() {
        #expect(result.report.diagnostics.isEmpty, "\(result.report.lines)")
        #expect(result.pages > 20)
    }

    @Test func writesTheDesignLayout() throws {
        for path in ["index.html", "timeline/index.html", "people/index.html", "people/elodie-marchal/index.html",
                     "organizations/fondation-leclair/index.html", "places/lyon/index.html", "events/audit-begins/index.html",
                     "sources/gazette-2019/index.html", "notes/overview/index.html", "assets/dossier.css", "assets/extra.css", "404.html"] {
            #expect(FileManager.default.fileExists(atPath: dossier.output.appendingPathComponent(path).path), "\(path)")
        }
    }

    @Test func everyRelativeLinkAndFragmentResolves() throws {
        var checked = 0
        for path in try htmlFiles() where path != "404.html" {
            let html = try dossier.page(path)
            let folder = (path as NSString).deletingLastPathComponent
            for target in attributeValues(in: html, names: ["href", "src"]) {
                if target.hasPrefix("https://") || target.hasPrefix("http://") || target.hasPrefix("mailto:") { continue }
                #expect(!target.hasPrefix("/"), "absolute link \(target) in \(path)")
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let file = parts[0].isEmpty ? path : ((folder as NSString).appendingPathComponent(String(parts[0])) as NSString).standardizingPath
                let url = dossier.output.appendingPathComponent(file)
                #expect(FileManager.default.fileExists(atPath: url.path), "\(target) in \(path)")
                if parts.count == 2, file.hasSuffix(".html") {
                    let targetHTML = try String(contentsOf: url, encoding: .utf8)
                    #expect(targetHTML.contains("id=\"\(parts[1])\""), "#\(parts[1]) missing for \(target) in \(path)")
                }
                checked += 1
            }
        }
        #expect(checked > 200)
    }

    @Test func codeSpansAndBlocksAreLeftAsWritten() throws {
        let html = try dossier.page("people/elodie-marchal/index.html")
        #expect(html.contains("<code>[[not-a-link]]</code>"))
        #expect(html.contains("<code>[@not-a-citation]</code>"))
        #expect(html.contains("<pre><code>[[also-not-a-link]] [@nor-this]\n</code></pre>"))
    }

    @Test func frontMatterValuesAreEscapedAndRawHTMLIsOmitted() throws {
        let html = try dossier.page("people/elodie-marchal/index.html")
        #expect(html.contains("Treasurer of the &lt;b&gt;Foundation&lt;/b&gt;"))
        #expect(!html.contains("<b>Foundation</b>"))
        #expect(html.contains("Fixture &lt;Dossier&gt; &amp; Co"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("a bad link, but"))
        #expect(html.contains("<a href=\"https://example.org/registry?a=1&amp;b=2\" rel=\"noopener noreferrer\">the registry</a>"))
    }

    /// A quotation mark followed by a combining accent is one Character: an escaper that
    /// compares Characters (swift-mustache's own) leaves it as `"` and ends the attribute.
    @Test func aQuoteCarryingACombiningMarkIsStillEscapedInsideAttributes() throws {
        let scratch = try ScratchDossier([
            "sources/src.md": Notes.source,
            "people/x.md": "---\nname: X\nsummary: 'Said \"\u{301} onfocus=alert(1) autofocus \"\u{301}'\nsources: [src]\n---\nBody [@src].\n",
        ])
        defer { scratch.remove() }
        #expect(try scratch.build().report.errorCount == 0)
        let html = try scratch.page("people/x/index.html")
        // Kept out of #expect: the macro cannot re-quote a literal holding `"` + U+0301.
        let escaped = "<meta name=\"description\" content=\"Said &quot;\u{301} onfocus=alert(1) autofocus &quot;\u{301}\">"
        let breakout = "\"\u{301} onfocus"
        #expect(html.contains(escaped))
        #expect(!html.contains(breakout))
    }

    @Test func crossReferencesBecomeRelativeLinks() throws {
        let html = try dossier.page("people/jerome-durand/index.html")
        #expect(html.contains("<a class=\"xref xref-person\" href=\"../../people/elodie-marchal/index.html\">Élodie Marchal</a>"))
        #expect(html.contains("href=\"../../people/elodie-marchal/index.html#early-career\">her early years</a>"))
        #expect(html.contains("<h2 id=\"early-career\">Early career</h2>") == false)
        let her = try dossier.page("people/elodie-marchal/index.html")
        #expect(her.contains("<h2 id=\"early-career\">Early career</h2>"))
    }

    @Test func citationsAreNumberedWithABackLinkedSourceList() throws {
        let html = try dossier.page("people/elodie-marchal/index.html")
        #expect(html.contains("<a id=\"cite-1-1\" href=\"#note-1\" role=\"doc-noteref\" aria-label=\"Source 1, p. 4\">1</a>"))
        #expect(html.contains("<li id=\"note-1\" class=\"note\">"))
        #expect(html.contains("<a href=\"#cite-1-1\""))
        #expect(html.contains("<li id=\"note-2\" class=\"note\">"))
        // The second source is known only through the first: the note says so.
        #expect(html.contains("(reported via <a href=\"../../sources/gazette-2019/index.html\">Inside the Leclair accounts</a>)"))
    }

    @Test func calloutsRenderAsLabelledBoxes() throws {
        let html = try dossier.page("people/elodie-marchal/index.html")
        #expect(html.contains("<aside class=\"callout callout-denied\" aria-label=\"Denied\">\n<p class=\"callout-label\">Denied</p>\n<p>Through her lawyer, Marchal denies any wrongdoing"))
        #expect(!html.contains("[!DENIED]"))
    }

    @Test func timelineIsChronologicalAndDatesDisplayByPrecision() throws {
        let html = try dossier.page("timeline/index.html")
        let order = ["Early meetings", "A year in the eighties", "First donation", "Foundation registered", "Trip abroad", "Board change", "Audit of the foundation"]
        let positions = order.map { html.range(of: ">\($0)</a>")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(positions)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        for shown in ["1980s", "August 1994", "15 March 2010", "September 2013?", "c. 2014", "April 2014 – September 2015"] {
            #expect(html.contains(">\(shown)</time>") || html.contains("<span>\(shown)</span>"), "\(shown)")
        }
        #expect(html.contains("<h2 id=\"year-1980s\" class=\"year-heading\">1980s</h2>"))
        // Machine-readable dates only where the date is exact enough for <time datetime>.
        #expect(html.contains("<time datetime=\"2010-03-15\">15 March 2010</time>"))
        #expect(html.contains("<span>c. 2014</span>"))
    }

    @Test func personPageShowsRelationsTimelineAndBackLinks() throws {
        let html = try dossier.page("people/jerome-durand/index.html")
        let mentions = try #require(html.range(of: "id=\"section-mentions\"")).upperBound
        let after = html[mentions...]
        #expect(after.contains("href=\"../../people/elodie-marchal/index.html\">Élodie Marchal</a>"))
        #expect(after.contains("href=\"../../notes/overview/index.html\">Overview of the case</a>"))
        #expect(html.contains("href=\"../../events/first-donation/index.html\">First donation</a>"))
        let her = try dossier.page("people/elodie-marchal/index.html")
        #expect(her.contains("<span class=\"relation-kind\">business partner</span> <a href=\"../../people/jerome-durand/index.html\">Jérôme Durand</a>"))
        #expect(her.contains("<span class=\"relation-kind\">treasurer</span> <span class=\"muted\">(2010 – June 2014)</span>"))
        #expect(her.contains("<span class=\"alias\">La Comtesse</span>"))
    }

    /// "Mentioned in" lists each entry once, however often it links, in title order
    /// (folded: "Émile" between "Alpha" and "Zeta"), front-matter and body together.
    @Test func mentionsListEachEntryOnceInTitleOrder() throws {
        let dossier = try ScratchDossier([
            "sources/src.md": Notes.source,
            "people/target.md": Notes.person("Target Person"),
            "people/zeta.md": Notes.person("Zeta Person", body: "Met [[target]], then [[Target Person]] again."),
            "people/alpha.md": "---\nname: Alpha Person\nsources: [src]\nrelations:\n  - with: target\n    kind: colleague\n---\nSee [[target]].\n",
            "people/emile.md": Notes.person("Émile Person", body: "Knows [[target]]."),
        ])
        defer { dossier.remove() }
        #expect(try dossier.build().report.hasErrors == false)
        let html = try dossier.page("people/target/index.html")
        let section = try #require(html.components(separatedBy: "id=\"section-mentions\"").dropFirst().first?.components(separatedBy: "</section>").first)
        let names = ["Alpha Person", "Émile Person", "Zeta Person"]
        #expect(names.map { section.components(separatedBy: ">\($0)</a>").count - 1 } == [1, 1, 1], "\(section)")
        let positions = names.compactMap { section.range(of: ">\($0)</a>")?.lowerBound }
        #expect(positions.count == 3 && positions == positions.sorted())
    }

    @Test func sourcePageListsCitingPagesWithLocators() throws {
        let html = try dossier.page("sources/gazette-2019/index.html")
        let citedBy = try #require(html.range(of: "id=\"section-cited-by\"")).upperBound
        let after = html[citedBy...]
        #expect(after.contains("href=\"../../people/elodie-marchal/index.html\">Élodie Marchal</a> <span class=\"muted\">Person</span><span class=\"locators\">p. 4; p. 5; para 12</span>"))
        #expect(after.contains("href=\"../../sources/registry-extract/index.html\">Company registry extract</a>"))
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let second = try ScratchDossier(copying: "site")
        defer { second.remove() }
        _ = try second.build()
        for path in try htmlFiles() + ["assets/dossier.css"] {
            let a = try Data(contentsOf: dossier.output.appendingPathComponent(path))
            let b = try Data(contentsOf: second.output.appendingPathComponent(path))
            #expect(a == b, "\(path) differs")
        }
    }

    // MARK: Helpers

    func htmlFiles() throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: dossier.output.path)!
        return (enumerator.allObjects as! [String]).filter { $0.hasSuffix(".html") }.sorted()
    }

    func attributeValues(in html: String, names: [String]) -> [String] {
        var values: [String] = []
        for name in names {
            var rest = html[...]
            while let range = rest.range(of: " \(name)=\"") {
                let after = rest[range.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                values.append(String(after[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
                rest = after[end...]
            }
        }
        return values
    }
}

/// A rebuild that renders a few pages out of many makes each page's cards and fragments
/// for that page alone (`sharingParts: false`); the pages must not differ by a byte.
@Suite struct SharedPartsTests {
    @Test func everyPageIsTheSameWithOrWithoutSharedParts() throws {
        let dossier = Analysis.analyze(content: Repository.content, displayPath: "Content")
        let templates = try #require(TemplateSet.load(from: Repository.templates, displayPath: "Templates").0)
        let shared = PageBuilder(dossier, templates: templates, sharingParts: true)
        let unshared = PageBuilder(dossier, templates: templates, sharingParts: false)
        let plan = shared.pagePlan
        #expect(plan.count > 100)
        var entries = 0
        for (path, kind) in plan {
            let a = try #require(shared.page(path, kind)), b = try #require(unshared.page(path, kind))
            #expect(templates.render(a.context, template: a.template) == templates.render(b.context, template: b.template), "\(path)")
            if case .entry = kind { entries += 1 }
        }
        #expect(entries > 100)
    }
}
