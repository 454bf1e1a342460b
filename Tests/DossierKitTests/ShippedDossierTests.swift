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
