import Foundation
import Testing
@testable import DossierKit

/// Every folder of `Fixtures/bad` is a dossier full of one kind of mistake, with the exact
/// diagnostics `dossier check` must print for it in `expected.txt`.
@Suite struct BadInputCorpusTests {
    static let cases: [String] = {
        let folder = Repository.fixtures.appendingPathComponent("bad")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }()

    @Test func corpusIsThere() {
        #expect(Self.cases.count >= 11)
    }

    @Test(arguments: cases)
    func checkReportsExactlyTheExpectedDiagnostics(_ name: String) throws {
        let folder = Repository.fixtures.appendingPathComponent("bad").appendingPathComponent(name)
        let expected = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
        let options = BuildOptions(content: folder.appendingPathComponent("Content"), templates: Repository.templates,
                                   output: folder.appendingPathComponent("Site"))
        let report = try Builder.check(options).report
        let actual = report.listing + "\nchecked: " + report.summary + "\n"
        #expect(actual == expected)
        #expect(report.diagnostics.contains { $0.severity == .error } || name == "editorial-warnings")
    }

    @Test(arguments: cases)
    func buildRefusesAndWritesNothing(_ name: String) throws {
        let folder = Repository.fixtures.appendingPathComponent("bad").appendingPathComponent(name)
        // In a folder of its own: a build that succeeds also keeps its cache beside the site.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-bad-\(UUID().uuidString)")
        let output = scratch.appendingPathComponent("Site")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try Builder.build(BuildOptions(content: folder.appendingPathComponent("Content"), templates: Repository.templates, output: output))
        #expect(FileManager.default.fileExists(atPath: output.path) == !result.report.hasErrors)
    }
}
