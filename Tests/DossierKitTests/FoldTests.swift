import PropertyBased
import Testing
@testable import DossierKit

/// `Fold.key` folds Latin text by a table and everything else through Foundation: the
/// two must give the same key wherever the table answers.
@Suite struct FoldTests {
    /// Every scalar the table covers, and (as often, all together) the spaces, combining
    /// marks and other-script letters that may sit between them.
    static let extras = [" ", "  ", "\t", "\n", "\u{A0}", "\u{85}", "\r\n", "\u{301}", "\u{308}", "ﬁ", "Ｗ", "Σ", "ß", "İ"]
    static let tokens = (0..<0x250).map { String(Unicode.Scalar($0)!) } + Array(repeating: extras, count: 40).joined()
    static let text = Gen.element(of: tokens).map { $0 ?? " " }.array(of: 0...24).map { $0.joined() }

    @Test func theLatinTableAgreesWithFoundation() async {
        await propertyCheck(count: 3000, input: Self.text) { text in
            if let fast = Fold.latinKey(text) {
                #expect(fast == Fold.foundationKey(text), "\(Array(text.unicodeScalars.map(\.value)))")
            }
        }
    }

    @Test func textThatIsItsOwnKeyIsWhatFoundationFoldsItTo() async {
        let ascii = (0..<0x80).map { String(Unicode.Scalar(UInt8($0))) }
        #expect(Fold.isOwnKey("ismael-omar-mostefai") && Fold.isOwnKey("13-november-2015"))
        #expect(!Fold.isOwnKey("Paris") && !Fold.isOwnKey("two words") && !Fold.isOwnKey("é"))
        for text in ascii + ascii.map { "a" + $0 + "b" } where Fold.isOwnKey(text) {
            #expect(Fold.foundationKey(text) == text, "\(Array(text.utf8))")
        }
        await propertyCheck(count: 3000, input: Self.text) { text in
            if Fold.isOwnKey(text) { #expect(Fold.foundationKey(text) == text, "\(Array(text.unicodeScalars.map(\.value)))") }
        }
    }

    /// An entry's names folded by an earlier build (kept by its note's memo) are used as
    /// they are while its title is the one they were folded from, and folded anew once not.
    @Test func namesFoldedEarlierHoldOnlyForTheTitleTheyWereFoldedFrom() {
        func entry(_ id: String, title: String, kept: FoldedNames) -> Entry {
            let entry = Entry(id: id, type: .note, file: "notes/\(id).md", idLocation: SourceLocation(file: "notes/\(id).md", line: 1, column: 1),
                              title: title, lines: TextLines(""))
            entry.foldedNames = kept
            return entry
        }
        let same = entry("kept", title: "Réunion à Molenbeek", kept: FoldedNames(title: "Réunion à Molenbeek", titleKey: "kept key", others: ["kept"]))
        let renamed = entry("renamed", title: "Nouveau Titre", kept: FoldedNames(title: "Ancien titre", titleKey: "ancien titre", others: ["renamed"]))
        let index = DossierIndex(entries: [same, renamed], anchors: [[], []])
        #expect(index.lookup("kept key") == .found("kept"))
        #expect(index.lookup("nouveau titre") == .found("renamed"))
        #expect(index.lookup("Ancien titre") != .found("renamed"))
        #expect(renamed.foldedNames == FoldedNames(title: "Nouveau Titre", titleKey: "nouveau titre", others: ["renamed"]))
    }

    @Test func everyCoveredScalarAgreesWithFoundationOnItsOwnAndBetweenLetters() {
        for value in 0..<0x250 {
            let scalar = String(Unicode.Scalar(value)!)
            for text in [scalar, "a" + scalar + "b", "É" + scalar + " " + scalar] {
                if let fast = Fold.latinKey(text) {
                    #expect(fast == Fold.foundationKey(text), "U+\(String(value, radix: 16))")
                }
            }
        }
    }

    @Test func namesWithDiacriticsTakeTheTableAndFoldAsExpected() {
        #expect(Fold.latinKey("Ismaël Omar  Mostefaï") == "ismael omar mostefai")
        #expect(Fold.latinKey("  Élodie\u{A0}MARCHAL ") == "elodie marchal")
        #expect(Fold.latinKey("Łódź") == Fold.foundationKey("Łódź"))
        // Decomposed (NFD) text and other scripts go through Foundation, to the same key.
        #expect(Fold.latinKey("E\u{301}lodie") == nil)
        #expect(Fold.key("E\u{301}lodie Marchal") == Fold.key("Élodie Marchal"))
        #expect(Fold.latinKey("Σωκράτης") == nil)
        #expect(Fold.key("Σωκράτης") == Fold.foundationKey("Σωκράτης"))
    }
}
