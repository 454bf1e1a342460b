import Testing
import Yams
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
        for text in ["---\ntitle: A\nno closing line\n", "---", "---\n", "---\na: 1\n----\n --- \n-- -\n.. .\n"] {
            #expect(throws: FrontMatter.Unterminated(line: 1), "\(text)") { try FrontMatter.split(text) }
        }
    }

    /// A fence is three dashes (or dots, to close) at the start of its line; spaces and
    /// tabs after them do not count, anything else does.
    @Test func fencesMayEndInSpacesAndTabs() throws {
        let split = try FrontMatter.split("--- \t\ntitle: é\n---x\n ---\n...\t \nBody é\n")
        #expect(split.yaml == "title: é\n---x\n ---")
        #expect(split.body == "Body é\n")
        #expect(split.bodyFirstLine == 6)
        let closedAtTheEnd = try FrontMatter.split("---\ntitle: A\n---  ")
        #expect(closedAtTheEnd.yaml == "title: A")
        #expect(closedAtTheEnd.body == "")
        #expect(try FrontMatter.split("----\n---\n").yaml == nil)
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

    /// Text, line and column of every value, keys included, in document order.
    private func flattened(_ value: YAMLValue) -> [String] {
        let here = "\(value.line):\(value.column)"
        switch value.content {
        case .scalar(let text): return ["\(here) '\(text)'"]
        case .sequence(let items): return ["\(here) ["] + items.flatMap(flattened) + ["]"]
        case .mapping(let pairs): return ["\(here) {"] + pairs.flatMap { flattened($0.key) + flattened($0.value) } + ["}"]
        }
    }

    @Test(arguments: [
        "name: Karim Aït\naliases: [\"K. A.\", 'Kari', plain]\nborn: 1994-08~\n",
        "relations:\n  - with: a-b\n    kind: \"Lawyer: for the family\"\n    sources: [x, \"y, z\"]\n  - {with: c, kind: ''}\n",
        "summary: >\n  folded\n  text\nnotes: |\n  kept\n  lines\nempty:\ncoordinates: [48.85, 2.35]\n",
        "title: \"Ça, c'est «cité» \\u00e9\"\ntags:\n- a\n-   b\n- 'c ''d'''\n",
        "just text",
        "- a\n- b\n",
    ])
    func theFrontMatterReaderReadsWhatYamsComposes(yaml: String) throws {
        guard case .read(let fast) = FrontMatterYAML.read(yaml) else {
            Issue.record("left to Yams: \(yaml)")
            return
        }
        let node = try Yams.compose(yaml: yaml, Yams.Resolver.basic, .default, .utf8)
        #expect(fast != nil)
        #expect(fast.map(flattened) == node.map { flattened(YAMLValue($0)) })
    }

    @Test func anEmptyDocumentHasNoRoot() {
        guard case .read(let root) = FrontMatterYAML.read("") else {
            Issue.record("left to Yams")
            return
        }
        #expect(root == nil)
    }

    @Test(arguments: [
        "name: &n Karim\nsummary: *n\n",   // anchor and alias
        "name: !!str 1994\n",              // explicit tag
        "? [a, b]\n: c\n",                 // a key that is not text
        "name: A\n---\nname: B\n",         // a second document
        "name: \"unclosed\n",              // syntax error
        "aliases: [a, b\nname: A\n",       // syntax error in a list
    ])
    func whatFrontMatterDoesNotNeedIsLeftToYams(yaml: String) {
        guard case .leftToYams = FrontMatterYAML.read(yaml) else {
            Issue.record("read without Yams: \(yaml)")
            return
        }
    }

    @Test func notesLeftToYamsReadAndFailAsThroughYams() throws {
        let anchored = try ScratchDossier([
            "people/karim.md": "---\nname: &n Karim Aït\nsummary: *n\n---\n\nText.\n",
        ])
        defer { anchored.remove() }
        let built = try anchored.build()
        #expect(!built.report.hasErrors)
        #expect(try anchored.page("people/karim/index.html").components(separatedBy: "Karim Aït").count > 2)

    }

    @Test func aKeyGivenTwiceIsAnErrorAtTheSecond() throws {
        let dossier = try ScratchDossier([
            "people/twice.md": "---\nname: A\nnationality: French\nname: B\n---\n\nText.\n",
            "people/nested.md": "---\nname: C\nrelations:\n  - with: twice\n    kind: Lawyer\n    kind: Brother\n---\n\nText.\n",
            // Past the keys a mapping scans, repeated keys are found by a table.
            "people/many.md": "---\nname: D\n" + (1...40).map { "extra\($0): x\n" }.joined() + "extra7: y\n---\n\nText.\n",
        ])
        defer { dossier.remove() }
        let report = try dossier.check()
        let errors = report.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.formatted) == [
            "Content/people/many.md:43:1: error: key 'extra7' is given twice\n    note: it is first given at line 9, column 1; keep one of them",
            "Content/people/nested.md:6:5: error: key 'kind' is given twice\n    note: it is first given at line 5, column 5; keep one of them",
            "Content/people/twice.md:4:1: error: key 'name' is given twice\n    note: it is first given at line 2, column 1; keep one of them",
        ])
    }
}
