import Foundation
@testable import DossierKit

/// Paths of the repository, found from this file so tests run from any directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = root.appendingPathComponent("Templates")
    static let fixtures = root.appendingPathComponent("Tests/DossierKitTests/Fixtures")
    static let content = root.appendingPathComponent("Content")
}

/// A dossier written into a fresh temporary folder: `Content/` from the given files,
/// the repository's templates, and an output folder beside them.
struct ScratchDossier {
    let folder: URL
    var content: URL { folder.appendingPathComponent("Content") }
    var output: URL { folder.appendingPathComponent("Site") }

    init(_ files: [String: String] = [:], copying fixture: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let fixture {
            try FileManager.default.copyItem(at: Repository.fixtures.appendingPathComponent(fixture).appendingPathComponent("Content"), to: content)
        } else {
            try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        }
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Dates every content file an hour back, like notes not edited just now: a rebuild
    /// leaves those unread while their size and time stay the same (see BuildCache.saw).
    func ageContent() throws {
        let hourAgo = Date().addingTimeInterval(-3600)
        for item in FileTree.files(under: content.path) { try setModificationDate(item.path, hourAgo) }
    }

    func setModificationDate(_ path: String, _ date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: content.appendingPathComponent(path).path)
    }

    var options: BuildOptions {
        BuildOptions(content: content, templates: Repository.templates, output: output)
    }

    func check() throws -> DiagnosticReport { try Builder.check(options).report }

    func build() throws -> BuildResult { try Builder.build(options) }

    func page(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Output paths whose bytes differ from a build of the same content into a new folder
    /// (files present on one side only included): empty when a rebuild was exact.
    func differencesFromFreshBuild() throws -> [String] {
        let fresh = folder.appendingPathComponent("Fresh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        _ = try Builder.build(BuildOptions(content: content, templates: Repository.templates, output: fresh))
        let built = FileTree.files(under: output.path).map(\.path)
        let expected = FileTree.files(under: fresh.path).map(\.path)
        return try Set(built).symmetricDifference(expected).sorted() + built.filter { path in
            try expected.contains(path) && Data(contentsOf: fresh.appendingPathComponent(path)) != Data(contentsOf: output.appendingPathComponent(path))
        }
    }
}

extension DiagnosticReport {
    /// `file:line:col: severity: message` lines without notes, for compact assertions.
    var lines: [String] {
        diagnostics.map { "\($0.location.description): \($0.severity.rawValue): \($0.message)" }
    }

    func first(containing text: String) -> Diagnostic? {
        diagnostics.first { $0.message.contains(text) }
    }
}

/// Minimal valid notes for tests that need a few entries around the one under test.
enum Notes {
    static func person(_ name: String, aliases: [String] = [], body: String = "") -> String {
        let aliasLine = aliases.isEmpty ? "" : "aliases: [\(aliases.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
        return "---\nname: \(name)\n\(aliasLine)sources: [src]\n---\n\(body)\n"
    }

    static let source = "---\ntitle: A source\npublisher: Example Press\n---\nA source.\n"
}
