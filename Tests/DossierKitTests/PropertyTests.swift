import Foundation
import PropertyBased
import Testing
@testable import DossierKit

/// Random Markdown, random front-matter and random bytes go through the whole reading
/// pipeline: it must never crash, and every diagnostic must point inside its file.
@Suite struct PropertyTests {
    static let markdownTokens = [
        "[[", "]]", "[", "]", "[@", "@", "|", "#", ";", ",", " p. 4", "`", "``", "```", "\n", "\n\n", "\r\n", "\r", "\t",
        "    ", "> ", "> [!DENIED]", "[!NOTE]", "- ", "1. ", "# ", "## ", "*", "_", "\\", "&amp;", "&#0;", "<script>", "</div>",
        "elodie-marchal", "Élodie", "E\u{301}lodie", "src", "gazette", "la comtesse", "https://x.org", "javascript:alert(1)",
        "](", ")", "![", "😀", "\u{200B}", "é", "---", "x", " ", "Marchal", "[[src]]", "[@src, para 1]", "[[elodie-marchal#a]]",
    ]

    static let yamlTokens = [
        "title:", "name:", "date:", "people:", "sources:", "aliases:", "relations:", "with:", "via:", "id:", "type:",
        " ", "  ", "\n", "\n  - ", "- ", "[", "]", "{", "}", "\"", "'", ":", ": ", "#", "&a ", "*a", "!!str ", "%", "@", "|", ">",
        "2019-13-45", "2014-04/2015-09", "\u{85}", "\u{2028}", "\r", "198X", "elodie-marchal", "src", "Élodie", "e\u{301}", "\t", "..", "../x", "?", "~", ",",
    ]

    static let markdown = Gen.element(of: markdownTokens).map { $0 ?? "" }.array(of: 0...80).map { $0.joined() }
    static let yaml = Gen.element(of: yamlTokens).map { $0 ?? "" }.array(of: 0...40).map { $0.joined() }
    static let bytes = Gen.int(in: 0...255).map { UInt8($0) }.array(of: 0...300)

    @Test func randomMarkdownBodies() async throws {
        await propertyCheck(count: 150, input: Self.markdown) { body in
            try? checkLocations(["notes/random.md": Data(("---\ntitle: Random\n---\n" + body).utf8)])
        }
    }

    @Test func randomFrontMatter() async throws {
        await propertyCheck(count: 150, input: Self.yaml, Self.markdown) { yaml, body in
            try? checkLocations(["people/random.md": Data(("---\n" + yaml + "\n---\n" + body).utf8)])
        }
    }

    @Test func randomBytes() async throws {
        await propertyCheck(count: 150, input: Self.bytes) { bytes in
            try? checkLocations(["notes/bytes.md": Data(bytes), "sources/raw.md": Data([0x2D, 0x2D, 0x2D, 0x0A] + bytes)])
        }
    }

    /// The filter before the set in a partial gathering of back-links passes over only
    /// ids the set does not hold: ids built from a few pieces share lengths and last bytes
    /// with the wanted ones, which is what the filter looks at.
    /// Bytes mostly ASCII, with runs of any bytes in places (valid characters, broken
    /// ones, lone continuation bytes): read as text exactly as Swift reads them.
    @Test func textIsCheckedAsSwiftChecksIt() async throws {
        let pieces = Gen.element(of: [
            Array("plain ASCII text, long enough to span words ".utf8), Array("é".utf8), Array("😀".utf8), Array("\u{2028}".utf8),
            [0xC3], [0xA9], [0xE2, 0x80], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8], [0xFF], [0x80, 0x80], [0x0A],
        ]).map { $0 ?? [] }
        // Some with many characters that are not ASCII, past the count at which the rest
        // is checked in one go.
        await propertyCheck(count: 300, input: pieces.array(of: 0...60), Gen.int(in: 0...40)) { parts, many in
            let bytes = parts.flatMap { $0 } + Array(repeating: Array("é ".utf8), count: many).flatMap { $0 }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(String(validatingMostlyASCII: buffer) == String(validating: buffer, as: UTF8.self))
            }
        }
    }

    /// Escaping, which skips eight bytes at a time, escapes every special character
    /// wherever it stands, as a character-by-character replacement does.
    @Test func escapingAgreesWithReplacingEachCharacter() async throws {
        let text = Gen.element(of: ["&", "<", ">", "\"", "'", "a", "é", "plain words ", "😀", "x"]).map { $0 ?? "" }.array(of: 0...40).map { $0.joined() }
        func naive(_ text: String, apostrophe: Bool) -> String {
            text.map { character -> String in
                switch character {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                case "\"": "&quot;"
                case "'" where apostrophe: "&#39;"
                default: String(character)
                }
            }.joined()
        }
        await propertyCheck(count: 300, input: text) { text in
            #expect(HTML.escape(text) == naive(text, apostrophe: true))
            #expect(HTML.escapeText(text) == naive(text, apostrophe: false))
            var bytes: [UInt8] = []
            HTML.escapeText(text.dropFirst(), into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == naive(String(text.dropFirst()), apostrophe: false))
        }
    }

    @Test func theWantedFilterAgreesWithItsSet() async throws {
        let id = Gen.element(of: ["a", "b", "é", "-", "ab", "x1", "😀", "elodie", "marchal"]).map { $0 ?? "" }.array(of: 0...4).map { $0.joined() }
        await propertyCheck(count: 300, input: id.array(of: 0...6), id.array(of: 0...30)) { wanted, probes in
            let filter = MentionLists.Wanted(Set(wanted))
            for probe in probes + wanted { #expect(filter.contains(probe) == wanted.contains(probe), "\(probe) in \(wanted)") }
        }
    }

    /// YAML positions read on the text's bytes agree with the first way they were read,
    /// on its scalars (kept here as the model), for every line and column libyaml may
    /// report, in front-matter with NEL, LS and PS breaks, combining marks and emoji.
    @Test func yamlPositionsAgreeWithTheScalarModel() async throws {
        let yaml = Gen.element(of: ["a", "é", "e\u{301}", "😀", "\u{85}", "\u{2028}", "\u{2029}", "\n", "\r", "\r\n", " ", "ß", "\u{300}", "x: ", "- "])
            .map { $0 ?? "" }.array(of: 0...30).map { TextLines.normalizingLineEnds($0.joined()) }
        await propertyCheck(count: 200, input: yaml) { yaml in
            let positions = YAMLPositions(yaml: yaml, firstLine: 2)
            let model = ScalarYAMLPositions(yaml: yaml, firstLine: 2)
            for line in 0...(yaml.unicodeScalars.count + 2) {
                for column in 0...(yaml.unicodeScalars.count + 2) {
                    let (found, expected) = (positions.location(line: line, column: column), model.location(line: line, column: column))
                    #expect(found == expected, "\(yaml.debugDescription) at \(line):\(column)")
                }
            }
        }
    }

    /// YAMLPositions as first written, on an array of the text's scalars.
    struct ScalarYAMLPositions {
        let scalars: [Unicode.Scalar], yamlLineStarts: [Int], newlines: [Int], firstLine: Int

        init(yaml: String, firstLine: Int) {
            scalars = Array(yaml.unicodeScalars)
            var starts = [0], newlines: [Int] = [], index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\n" { newlines.append(index) }
                index += 1
                if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
                if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) { starts.append(index) }
            }
            (yamlLineStarts, self.newlines, self.firstLine) = (starts, newlines, firstLine)
        }

        func location(line: Int, column: Int) -> (line: Int, column: Int) {
            if line > yamlLineStarts.count { return (firstLine + newlines.count + 1, 1) }
            let offset = min(yamlLineStarts[max(line - 1, 0)] + max(column - 1, 0), scalars.count)
            let before = newlines.count { $0 < offset }
            let lineStart = before == 0 ? 0 : newlines[before - 1] + 1
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[lineStart..<offset])
            return (firstLine + before, String(text).count + 1)
        }
    }

    /// Splitting a part of a text at a byte (at every one, or at the first) gives what the
    /// standard library's `split` gives, for texts short enough to be stored inline and
    /// longer ones.
    @Test func splittingAgreesWithTheStandardSplit() async throws {
        let text = Gen.element(of: ["|", "#", ",", "a", "é", "😀", " ", "e\u{301}", "long enough to leave small strings"])
            .map { $0 ?? "" }.array(of: 0...12).map { $0.joined() }
        await propertyCheck(count: 300, input: text, Gen.int(in: 0...3), Gen.int(in: 0...4)) { text, dropped, maxSplits in
            let whole = "ab|" + text + "|z"
            let part = whole.dropFirst(dropped).dropLast(dropped)
            for separator in ["|", "#", ","] {
                let expected = part.split(separator: Character(separator), maxSplits: maxSplits, omittingEmptySubsequences: false)
                #expect(part.splitting(at: UInt8(ascii: Unicode.Scalar(separator)!), maxSplits: maxSplits) == expected, "\(part) at \(separator)")
                #expect(part.splitting(at: UInt8(ascii: Unicode.Scalar(separator)!)) == part.split(separator: Character(separator), omittingEmptySubsequences: false))
                let once = part.splittingOnce(at: UInt8(ascii: Unicode.Scalar(separator)!))
                let halves = part.split(separator: Character(separator), maxSplits: 1, omittingEmptySubsequences: false)
                #expect([once.before] + (once.after.map { [$0] } ?? []) == halves, "\(part) once at \(separator)")
            }
        }
    }

    /// Writes the files beside a small valid dossier, runs `check`, and asserts that every
    /// diagnostic names an existing file and a line and column inside it.
    func checkLocations(_ files: [String: Data]) throws {
        let dossier = try ScratchDossier([
            "sources/src.md": Notes.source,
            "people/elodie-marchal.md": Notes.person("Élodie Marchal", aliases: ["La Comtesse"]),
        ])
        defer { dossier.remove() }
        for (path, data) in files {
            let url = dossier.content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        let report = try dossier.check()
        for diagnostic in report.diagnostics {
            let path = diagnostic.location.file
            #expect(path.hasPrefix("Content/"), "\(diagnostic.formatted)")
            let url = dossier.folder.appendingPathComponent(path)
            let data = try Data(contentsOf: url)
            let text = String(decoding: data, as: UTF8.self)
            let lines = TextLines.editorLines(of: text)
            let line = diagnostic.location.line
            #expect(line >= 1 && line <= max(lines.count, 1), "line out of range: \(diagnostic.formatted)")
            let length = line <= lines.count ? lines[line - 1].count : 0
            #expect(diagnostic.location.column >= 1 && diagnostic.location.column <= length + 1,
                    "column out of range (line has \(length) characters): \(diagnostic.formatted)")
        }
    }
}
