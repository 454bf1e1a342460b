import PropertyBased
import Testing
@testable import DossierKit

/// The index finds ids through `OrdinalTable` and falls back to its dictionary only for
/// text outside ASCII: whatever it finds must be what the dictionary alone finds, under
/// Swift's comparison of strings (canonical equivalence) included.
@Suite struct OrdinalTableTests {
    /// Slugs, their neighbours, and text that equals ASCII only canonically (U+212A KELVIN
    /// SIGN is "K", U+037E GREEK QUESTION MARK is ";") or not at all ("é" two ways).
    static let pieces = ["a", "b", "k", "K", "-", "1", "2", "abdelhamid", "abaaoud", "\u{212A}", ";", "\u{37E}", "é", "e\u{301}", "ü", "x"]
    static let text = Gen.element(of: pieces).map { $0 ?? "a" }.array(of: 0...6).map { $0.joined() }

    private static func index(_ ids: [String]) -> DossierIndex {
        let entries = ids.map { id in
            Entry(id: id, type: .person, file: "people/\(id).md", idLocation: SourceLocation(file: "people/\(id).md", line: 1, column: 1),
                  title: id, lines: TextLines(""))
        }
        return DossierIndex(entries: entries, anchors: ids.map { _ in [] })
    }

    @Test func theIndexFindsWhatItsDictionaryFinds() async {
        await propertyCheck(count: 400, input: Self.text.array(of: 0...40), Self.text.array(of: 0...20)) { ids, others in
            let index = Self.index(ids)
            // A copy of each id in storage of its own, so the comparison reads the bytes.
            let copies = ids.map { String(decoding: Array($0.utf8), as: UTF8.self) }
            for text in ids + copies + others {
                let found = index[text]
                #expect(found === index.entries[text], "\(Array(text.unicodeScalars.map(\.value)))")
                #expect(index.ordinal(of: text) == found?.ordinal)
                if let found { #expect(index.orderedEntries[found.ordinal] === found) }
            }
        }
    }

    @Test func manyIdsAreFoundAndOthersAreNot() {
        let ids = (0..<5000).map { "person-\($0)-of-the-dossier" }
        let index = Self.index(ids)
        for id in ids { #expect(index[String(decoding: Array(id.utf8), as: UTF8.self)]?.id == id) }
        for missing in (5000..<6000).map({ "person-\($0)-of-the-dossier" }) + ["", "person", "person-1-of-the-dossie"] {
            #expect(index[missing] == nil)
        }
    }

    @Test func aMissIsLeftToTheDictionaryWhenAnIdIsNotASCII() {
        let table = OrdinalTable(["kelvin", "\u{212A}elvin"])
        #expect(table.find("kelvin") == .ordinal(0))
        // "Kelvin" is not in the table, but it is the second id to Swift.
        #expect(table.find("Kelvin") == .unknown)
        #expect(table.find("é") == .unknown)
        #expect(OrdinalTable(["kelvin"]).find("Kelvin") == .absent)
        #expect(Self.index(["kelvin", "\u{212A}elvin"])["Kelvin"]?.id == "\u{212A}elvin")
    }
}
