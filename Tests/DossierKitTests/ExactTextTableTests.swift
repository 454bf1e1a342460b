import PropertyBased
import Testing
@testable import DossierKit

/// The index finds ids, and names as written, through `ExactTextTable`, and falls back to
/// its dictionaries (and to folding the text) when the table cannot tell: whatever it
/// finds must be what they alone find, under Swift's comparison of strings (canonical
/// equivalence) included.
@Suite struct ExactTextTableTests {
    /// Slugs, their neighbours, and text that equals ASCII only canonically (U+212A KELVIN
    /// SIGN is "K", U+037E GREEK QUESTION MARK is ";") or not at all ("é" two ways).
    static let pieces = ["a", "b", "k", "K", "-", "1", "2", "abdelhamid", "abaaoud", "\u{212A}", ";", "\u{37E}", "é", "e\u{301}", "ü", "x"]
    static let text = Gen.element(of: pieces).map { $0 ?? "a" }.array(of: 0...6).map { $0.joined() }

    private static func index(_ ids: [String], titles: [String] = [], aliases: [[String]] = [], ranking: Bool = true) -> DossierIndex {
        let entries = ids.enumerated().map { offset, id in
            let file = "people/\(offset).md"
            let entry = Entry(id: id, type: .person, file: file, idLocation: SourceLocation(file: file, line: 1, column: 1),
                              title: titles.indices.contains(offset) ? titles[offset] : id, lines: TextLines(""))
            if aliases.indices.contains(offset) { entry.aliases = aliases[offset].map { Located($0, at: entry.idLocation) } }
            return entry
        }
        return DossierIndex(entries: entries, anchors: ids.map { _ in [] }, ranking: ranking)
    }

    /// What a look-up found, comparably.
    private static func described(_ found: DossierIndex.Found) -> String {
        switch found {
        case .entry(let entry): "entry \(entry.id) (\(entry.ordinal))"
        case .ambiguous(let ids): "ambiguous \(ids)"
        case .notFound(let key): "not found as \(Array(key.unicodeScalars.map(\.value)))"
        }
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

    @Test func aMissIsLeftToTheDictionaryWhenAKeyOrTheTextIsNotASCII() {
        let keys: [(text: String, value: Int32)] = [("kelvin", 0), ("\u{212A}elvin", 1), ("kelvin", 2)]
        let table = ExactTextTable(keys, count: keys.count)
        #expect(table.find("kelvin") == .value(0))
        #expect(table.find("\u{212A}elvin") == .value(1))
        // "Kelvin" is not in the table, but it is the second key to Swift.
        #expect(table.find("Kelvin") == .unknown)
        #expect(table.find("é") == .unknown)
        #expect(ExactTextTable([(text: "kelvin", value: 0)], count: 1).find("Kelvin") == .absent)
        #expect(ExactTextTable([(text: "é", value: 0)], count: 1).find("e\u{301}") == .unknown)
        #expect(Self.index(["kelvin", "\u{212A}elvin"])["Kelvin"]?.id == "\u{212A}elvin")
    }

    @Test func aKeyGivenAnotherNumberIsFoundWithIt() {
        var table = ExactTextTable((0..<1000).map { (text: "name \($0)", value: Int32($0)) }, count: 1000)
        table.set(-7, for: "name 500")
        table.set(3, for: "no such name")
        #expect(table.find("name 500") == .value(-7))
        #expect(table.find("name 499") == .value(499))
        #expect(table.find("no such name") == .absent)
    }

    /// Titles and aliases written as an entry gives them are found with one look-up in
    /// the names as written: the same entry, or the same ambiguity, as folding the text
    /// finds, with an exact id first (names shared by several entries, names equal to
    /// another entry's id, canonically equal spellings and names that fold to nothing
    /// included). An index made without ranking (for a rebuild that resolves a few
    /// bodies) has no such table, and finds the same by folding.
    @Test func aNameAsWrittenFindsWhatFoldingItFinds() async {
        let name = Gen.element(of: Self.pieces + [" ", "A", "B", "É", "E\u{301}", "!"]).map { $0 ?? "a" }.array(of: 0...4).map { $0.joined() }
        await propertyCheck(count: 300, input: Self.text.array(of: 1...24), name.array(of: 24...24), name.array(of: 0...3).array(of: 24...24),
                            name.array(of: 0...12)) { ids, titles, aliases, others in
            let titles = titles.map { $0.isEmpty ? "untitled" : $0 }
            let index = Self.index(ids, titles: titles, aliases: aliases)
            let unranked = Self.index(ids, titles: titles, aliases: aliases, ranking: false)
            let copies = (titles + aliases.joined()).map { String(decoding: Array($0.utf8), as: UTF8.self) }
            for text in ids + titles + aliases.joined() + copies + others {
                let found = Self.described(index.find(text))
                #expect(found == Self.described(index.findByFolding(text)), "\(Array(text.unicodeScalars.map(\.value)))")
                #expect(found == Self.described(unranked.find(text)), "\(Array(text.unicodeScalars.map(\.value)))")
            }
        }
    }

    /// An ordinal's type comes from where its type's run ends, not from the entry: it must
    /// be the entry's own type, with types left out of the dossier and in any file order.
    @Test func anOrdinalsTypeIsItsEntrysType() async {
        let types = Gen.int(in: 0...(EntryType.allCases.count - 1)).map { EntryType.allCases[$0] }
        await propertyCheck(count: 300, input: types.array(of: 0...40)) { chosen in
            let entries = chosen.enumerated().map { offset, type in
                let file = "\(type.folder)/\(offset).md"
                return Entry(id: "entry-\(offset)", type: type, file: file, idLocation: SourceLocation(file: file, line: 1, column: 1),
                             title: "Entry \(offset)", lines: TextLines(""))
            }
            let index = DossierIndex(entries: entries, anchors: entries.map { _ in [] })
            for entry in entries { #expect(index.type(ofOrdinal: entry.ordinal) == entry.type, "\(chosen)") }
        }
    }
}
