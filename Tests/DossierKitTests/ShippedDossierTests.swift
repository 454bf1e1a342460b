import Foundation
import Testing
@testable import DossierKit

/// The dossier in `Content/` is the example every editor copies, and `Site/` is its
/// published form: both must stay clean and in step.
@Suite struct ShippedDossierTests {
    @Test func contentChecksWithoutErrorsOrWarnings() throws {
        let result = try Builder.check(BuildOptions(content: Repository.content, templates: Repository.templates, output: Repository.root.appendingPathComponent("Site")))
        #expect(result.report.diagnostics.isEmpty, "\(result.report.lines.joined(separator: "\n"))")
    }

    /// Fails when someone edits `Site/` by hand or changes Content/Templates without rebuilding.
    @Test func committedSiteIsExactlyWhatTheBuildProduces() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-fresh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fresh = scratch.appendingPathComponent("Site")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = try Builder.build(BuildOptions(content: Repository.content, templates: Repository.templates, output: fresh))
        let committed = Repository.root.appendingPathComponent("Site")
        let freshFiles = try files(in: fresh)
        let committedFiles = try files(in: committed)
        #expect(committedFiles == freshFiles, "Site/ has other files than a build writes; run scripts/build-site")
        var stale: [String] = []
        for path in freshFiles.intersection(committedFiles).sorted()
            where try Data(contentsOf: fresh.appendingPathComponent(path)) != Data(contentsOf: committed.appendingPathComponent(path)) {
            stale.append(path)
        }
        #expect(stale.isEmpty, "Site/ is stale (run scripts/build-site): \(stale.prefix(10))")
    }

    /// The editorial bar: at least 95% of prose paragraphs (and list items) in the shipped
    /// notes carry a citation with a locator, `[@source, para N]`.
    @Test func factualParagraphsCiteTheirSourceWithALocator() throws {
        var paragraphs = 0
        var cited = 0
        var uncited: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: Repository.content.path)!
        for case let path as String in enumerator where path.hasSuffix(".md") {
            let text = try String(contentsOf: Repository.content.appendingPathComponent(path), encoding: .utf8)
            let body = try FrontMatter.split(text).body
            let document = MarkdownDocument(markdown: body)
            for paragraph in document.nodes(where: { $0.kind == .paragraph }) {
                let prose = paragraph.plainText.trimmingCharacters(in: .whitespaces)
                // A callout's label line alone is not a statement.
                if prose.isEmpty || prose.hasPrefix("[!") && !prose.contains(" ") { continue }
                paragraphs += 1
                let hasLocator = InlineSyntax.scan(prose).contains { token in
                    if case .citation(let items) = token.kind { return items.contains { $0.locator != nil } }
                    return false
                }
                if hasLocator { cited += 1 } else { uncited.append("\(path): \(prose.prefix(60))") }
            }
        }
        let coverage = Double(cited) / Double(max(paragraphs, 1))
        print("citation coverage: \(cited) of \(paragraphs) prose paragraphs (\(String(format: "%.1f", coverage * 100))%)")
        #expect(paragraphs > 200)
        #expect(coverage >= 0.95, "uncited: \(uncited.prefix(20))")
    }

    func files(in folder: URL) throws -> Set<String> {
        var result = Set<String>()
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return result }
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.insert(path)
            }
        }
        return result
    }
}
