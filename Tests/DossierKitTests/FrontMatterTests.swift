import Testing
@testable import DossierKit

@Suite struct FrontMatterTests {
    @Test func splitsYAMLAndKeepsTheBodyLineOffset() throws {
        let split = try FrontMatter.split("---\ntitle: A\nsummary: B\n---\nFirst body line\nSecond\n")
        #expect(split.yaml == "title: A\nsummary: B")
        #expect(split.yamlFirstLine == 2)
        #expect(split.bodyFirstLine == 5)
        #expect(split.body == "First body line\nSecond\n")
    }

    @Test func fileWithoutFrontMatterIsAllBody() throws {
        let split = try FrontMatter.split("# Title\n\nText\n")
        #expect(split.yaml == nil)
        #expect(split.bodyFirstLine == 1)
        #expect(split.body == "# Title\n\nText\n")
    }

    @Test func emptyFrontMatterAndDotsClosing() throws {
        let empty = try FrontMatter.split("---\n---\nBody")
        #expect(empty.yaml == "")
        #expect(empty.bodyFirstLine == 3)
        let dots = try FrontMatter.split("---\ntitle: x\n...\nBody")
        #expect(dots.yaml == "title: x")
        #expect(dots.body == "Body")
    }

    @Test func unterminatedFrontMatterIsAnError() {
        #expect(throws: FrontMatter.Unterminated(line: 1)) {
            try FrontMatter.split("---\ntitle: A\nno closing line\n")
        }
    }

    @Test func aRuleLaterInTheBodyIsNotFrontMatter() throws {
        let split = try FrontMatter.split("Text\n\n---\n\nMore\n")
        #expect(split.yaml == nil)
    }

    @Test func bomAndCRLFAreNormalisedByTheLoaderSoPositionsStayRight() throws {
        let dossier = try ScratchDossier([
            "sources/src.md": "\u{FEFF}---\r\ntitle: S\r\n---\r\n\r\nSee [[nowhere]].\r\n",
        ])
        defer { dossier.remove() }
        let report = try dossier.check()
        let diagnostic = try #require(report.first(containing: "unresolved reference [[nowhere]]"))
        #expect(diagnostic.location.line == 5)
        #expect(diagnostic.location.column == 5)
    }
}
