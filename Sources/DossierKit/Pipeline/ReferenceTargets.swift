/// What every entry's front-matter references name. Resolved by this build, or, when
/// no note's front-matter, title or heading anchors changed since the last build (the
/// shared inputs, see NoteMemo), as that build resolved them: each note's memo keeps the
/// entry it found for each reference (`frontMatterLinks`), and they are paired with the
/// references again only for the entries a page or a body asks about.
public struct ReferenceTargets: Sendable {
    private let resolved: [String: ResolvedReferences]
    /// The last build's memos by note path, and how entries name their files.
    private let remembered: [String: NoteMemo]
    private let displayRoot: String
    private let index: DossierIndex?

    init(resolved: [String: ResolvedReferences]) {
        (self.resolved, remembered, displayRoot, index) = (resolved, [:], "", nil)
    }

    init(remembered: [String: NoteMemo], displayRoot: String, index: DossierIndex) {
        (resolved, self.remembered, self.displayRoot, self.index) = ([:], remembered, displayRoot, index)
    }

    public subscript(id: String) -> ResolvedReferences? {
        if let found = resolved[id] { return found }
        guard let entry = index?[id], entry.file.hasPrefix(displayRoot + "/"),
              let links = remembered[String(entry.file.dropFirst(displayRoot.count + 1))]?.frontMatterLinks else { return nil }
        var pairs: [(reference: Reference, target: String)] = []
        entry.forEachFrontMatterTarget(links.array) { reference, _, target in pairs.append((reference, target)) }
        return pairs.isEmpty ? nil : ResolvedReferences(pairs)
    }
}
