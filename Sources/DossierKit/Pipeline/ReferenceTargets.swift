/// What every entry's front-matter references name. Resolved by this build, or, when
/// no note's front-matter, title or heading anchors changed since the last build (the
/// shared inputs, see NoteMemo), as that build resolved them: each note's memo keeps the
/// entry it found for each reference (`frontMatterLinks`), and they are paired with the
/// references again only for the entries a page or a body asks about.
public struct ReferenceTargets: Sendable {
    /// By `Entry.ordinal`, when resolved by this build.
    private let resolved: [ResolvedReferences?]
    /// The last build's memos by note path, and how entries name their files.
    private let remembered: [String: NoteMemo]
    private let displayRoot: String
    private let index: DossierIndex

    init(resolved: [ResolvedReferences?], index: DossierIndex) {
        (self.resolved, remembered, displayRoot, self.index) = (resolved, [:], "", index)
    }

    init(remembered: [String: NoteMemo], displayRoot: String, index: DossierIndex) {
        (resolved, self.remembered, self.displayRoot, self.index) = ([], remembered, displayRoot, index)
    }

    subscript(entry: Entry) -> ResolvedReferences? {
        if !resolved.isEmpty {
            // A note read again (see LateResolution) is an entry of its own: found by id.
            guard let own = resolved.indices.contains(entry.ordinal) ? entry : index[entry.id] else { return nil }
            return resolved[own.ordinal]
        }
        guard entry.file.hasPrefix(displayRoot + "/"),
              let links = remembered[String(entry.file.dropFirst(displayRoot.count + 1))]?.frontMatterLinks else { return nil }
        var pairs: [(reference: Reference, target: Int32)] = []
        entry.forEachFrontMatterTarget(links.array) { reference, _, target in
            if let found = index.ordinal(of: target) { pairs.append((reference, Int32(found))) }
        }
        return pairs.isEmpty ? nil : ResolvedReferences(pairs)
    }
}
