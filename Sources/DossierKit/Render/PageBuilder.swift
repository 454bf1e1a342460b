/// Fifth stage: turns the analysed dossier into one template context per page. Contexts
/// are typed values (`TemplateValue`: text, flags, lists, objects and shared fragments);
/// values from content stay text and are escaped by the
/// templates, only HTML Dossier made itself (rendered bodies, citation markers, shared
/// fragments) is inserted with `{{{…}}}`.
///
/// A class: fragments are made by passing its methods around (`or: { self.entryLink($0, from: $1) }`), and a
/// method of a struct this size copied the whole builder, a retain of each of its
/// tables, for every item of every "Mentioned in" list.
public final class PageBuilder: @unchecked Sendable {
    // @unchecked: the tables are filled by `init` and only read after it.
    public let dossier: AnalyzedDossier
    var index: DossierIndex { dossier.index }
    var language: String { dossier.config.language }
    /// The link card of every entry as seen from an entry page (`../../`), where nearly
    /// every link is; built once and shared instead of once per link. By `Entry.ordinal`,
    /// as are the fragments below: found without hashing an id (see `Entry.ordinal`).
    private var entryCards: [TemplateObject] = []
    private static let entryRoot = "../../"
    /// Parts of entry pages rendered once by their own partial (see SharedFragment); nil
    /// for the entries of other types.
    private let templates: TemplateSet
    private var entryLinks: [SharedFragment?] = []
    private var eventLines: [SharedFragment?] = []
    private var noteSources: [SharedFragment?] = []
    /// Header and footer of entry pages, by section.
    private var entryChrome: [String: (header: SharedFragment, footer: SharedFragment)] = [:]
    public static let fragmentPartials = ["site-header", "site-footer", "entry-link", "event-line", "note-source"]

    /// `sharingParts`: make every entry's card and shared fragments up front, for a build
    /// that renders many pages. Without them each page makes the parts it shows (the same
    /// bytes): cheaper when a rebuild renders a handful of pages out of thousands.
    init(_ dossier: AnalyzedDossier, templates: TemplateSet, sharingParts: Bool = true) {
        self.dossier = dossier
        self.templates = templates
        let footer = siteFooter()
        for type in EntryType.allCases { entryChrome[type.folder] = (siteHeader(root: Self.entryRoot, section: type.folder), footer) }
        guard sharingParts else { return }
        let language = dossier.config.language
        entryCards = dossier.index.orderedEntries.parallelMap { entry in Self.card(entry, root: Self.entryRoot, language: language) }
        // Made from the cards, so after them, and rendered as they are made: nearly every
        // one is shown by some page.
        entryLinks = sharedFragments(of: nil) { self.entryLink($0, from: $1, renderedNow: true) }
        eventLines = sharedFragments(of: .event) { self.eventLine($0, from: $1, renderedNow: true) }
        noteSources = sharedFragments(of: .source) { self.noteSource($0, from: $1, renderedNow: true) }
    }

    /// One fragment per entry (of `type`, if given) as entry pages show it, by ordinal,
    /// made on both cores.
    private func sharedFragments(of type: EntryType?, made make: @Sendable (Entry, String) -> SharedFragment) -> [SharedFragment?] {
        dossier.index.orderedEntries.parallelMap { entry in type == nil || entry.type == type ? make(entry, Self.entryRoot) : nil }
    }

    /// A page to render: its path in the site, its template and its context.
    public struct Page: Sendable {
        public var path: String
        public var template: String
        var context: TemplateObject
    }

    /// Every page of the site in a fixed order: home, indexes, timeline, entries, 404.
    public var pagePlan: [(path: String, kind: PageKind)] {
        var plan: [(String, PageKind)] = [(SitePaths.home, .home), (SitePaths.timeline, .timeline), ("404.html", .notFound)]
        for type in EntryType.allCases { plan.append((SitePaths.index(of: type), .list(type))) }
        for entry in index.orderedEntries { plan.append((entry.pagePath, .entry(entry))) }
        return plan
    }

    /// A digest of everything a page is made from, computed without making it: the shared
    /// inputs (every note's front-matter, titles and anchors, the config), the templates
    /// and, for an entry, its own file and the back-links other bodies give it. Equal
    /// inputs mean an equal page (see NoteMemo and BodyMemo for why nothing else can change it).
    ///
    /// `start` is `inputKeyStart(templates:)`, the same for every page.
    func inputKey(_ path: String, _ kind: PageKind, start: PageDigest.Stream) -> ContentDigest {
        var inputs = PageDigest.Stream(after: start)
        inputs.add(path)
        if case .entry(let entry) = kind {
            let id = entry.id
            if let hash = entry.contentHash { inputs.add(hash) } else { inputs.add(count: .max) }
            // The linking entries by ordinal, not by id: the shared inputs in `start` fix
            // every entry's id and type, so the same ordinals name the same entries. The
            // ids' bytes were a cache miss each at 50,000 notes.
            inputs.add(ordinals: dossier.backLinks.mentionOrdinals(of: id))
            inputs.add(ordinals: dossier.backLinks.eventOrdinals(naming: id))
            let citedBy = dossier.backLinks.citedBy(id)
            inputs.add(ordinals: citedBy.map(\.ordinal))
            for (_, _, locators) in citedBy { inputs.add(locators) }
        }
        return inputs.finalDigest()
    }

    /// What every page's input key starts with: the templates and the shared inputs,
    /// made once instead of added to every page's stream.
    func inputKeyStart(templates: String) -> PageDigest.Stream {
        var start = PageDigest.Stream()
        start.add(templates)
        start.add(dossier.memos.sharedInputs)
        return start
    }

    public enum PageKind: Sendable {
        case home, timeline, notFound, list(EntryType), entry(Entry)

        /// The entry whose page this is, if it is one.
        var entryID: String? { if case .entry(let entry) = self { entry.id } else { nil } }
    }

    /// Nil only for an entry whose note changed while the site was being built (see
    /// `AnalyzedDossier.resolvedPage`).
    public func page(_ path: String, _ kind: PageKind) -> Page? {
        switch kind {
        case .home: home(path)
        case .timeline: timeline(path)
        case .notFound: notFound(path)
        case .list(let type): list(type, path: path)
        case .entry(let entry): self.entry(entry, path: path)
        }
    }

    // MARK: Shared parts

    /// Every list goes in with its `has_<key>` flag, so templates can wrap a non-empty
    /// list in its section (Mustache cannot test an array's length).
    private static func set(_ key: String, _ list: [TemplateValue], in context: inout TemplateObject) {
        context[key] = .list(list)
        context["has_" + key] = .flag(!list.isEmpty)
    }

    private static func set(_ key: String, _ list: [TemplateObject], in context: inout TemplateObject) {
        set(key, list.map(TemplateValue.object), in: &context)
    }

    private static func set(_ key: String, _ list: [SharedFragment], in context: inout TemplateObject) {
        set(key, list.map(TemplateValue.fragment), in: &context)
    }

    private func layout(path: String, title: String, description: String?, section: String?, root: String? = nil) -> TemplateObject {
        let root = root ?? SitePaths.rootPrefix(forPath: path)
        var context: TemplateObject = [
            "lang": .text(language),
            "root": .text(root),
            "site_title": .text(dossier.config.title),
            "page_title": .text(title),
            "is_home": .flag(path == SitePaths.home),
        ]
        if let subtitle = dossier.config.subtitle { context["site_subtitle"] = .text(subtitle) }
        if let description = description ?? dossier.config.description { context["description"] = .text(description) }
        let chrome = root == Self.entryRoot ? entryChrome[section ?? ""] : nil
        context["site_header"] = .fragment(chrome?.header ?? siteHeader(root: root, section: section))
        context["site_footer"] = .fragment(chrome?.footer ?? siteFooter())
        return context
    }

    /// The skip link, site title and section navigation above every page.
    private func siteHeader(root: String, section: String?) -> SharedFragment {
        let sections: [(String, String, String)] = [
            ("notes", "Case notes", SitePaths.index(of: .note)),
            ("people", "People", SitePaths.index(of: .person)),
            ("timeline", "Timeline", SitePaths.timeline),
            ("organizations", "Organisations", SitePaths.index(of: .organization)),
            ("places", "Places", SitePaths.index(of: .place)),
            ("events", "Events", SitePaths.index(of: .event)),
            ("sources", "Sources", SitePaths.index(of: .source)),
        ]
        var context: TemplateObject = ["root": .text(root), "site_title": .text(dossier.config.title)]
        Self.set("nav", sections.map { key, label, href in
            ["label": .text(label), "href": .text(root + href), "current": .flag(key == section)] as TemplateObject
        }, in: &context)
        return SharedFragment(partial: "site-header", context: context, templates: templates)
    }

    private func siteFooter() -> SharedFragment {
        var context: TemplateObject = ["site_title": .text(dossier.config.title)]
        if let subtitle = dossier.config.subtitle { context["site_subtitle"] = .text(subtitle) }
        return SharedFragment(partial: "site-footer", context: context, templates: templates)
    }

    /// How a link to an entry looks from a page whose way to the site root is `root`
    /// (`SitePaths.rootPrefix`, worked out once per page: every link asks).
    private func link(_ id: String, from root: String) -> TemplateObject { link(index[id]!, from: root) }

    private func link(_ entry: Entry, from root: String) -> TemplateObject {
        guard entryCards.indices.contains(entry.ordinal) else { return Self.card(entry, root: root, language: language) }
        return link(entry.ordinal, from: root)
    }

    /// The same by `Entry.ordinal`: a link from an entry page reads the card alone, not
    /// the entry (at 50,000 notes a cache miss per link, see ResolvedReferences).
    private func link(_ ordinal: Int, from root: String) -> TemplateObject {
        guard entryCards.indices.contains(ordinal) else { return Self.card(index.orderedEntries[ordinal], root: root, language: language) }
        // The card's fields shared, not copied: most links get a field or two added.
        var link = TemplateObject(extending: entryCards[ordinal])
        // From another depth (the timeline, the lists: ten thousand links and more), the
        // entry page's card with its own href, rather than every field made again.
        if root != Self.entryRoot { link["href"] = .text(root + SitePaths.page(of: index.orderedEntries[ordinal])) }
        return link
    }

    private static func card(_ entry: Entry, root: String, language: String) -> TemplateObject {
        var context: TemplateObject = [
            "title": .text(entry.title),
            "href": .text(root + SitePaths.page(of: entry)),
            "type": .text(entry.type.rawValue),
            "type_label": .text(entry.type.singularTitle),
        ]
        if let summary = entry.summary { context["summary"] = .text(summary) }
        // Short name for lists of sources: the publisher reads better than a headline.
        context["short"] = .text(entry.publisher ?? entry.title)
        if let date = entry.date?.value {
            context["date"] = .text(date.display(language: language))
            if let machine = machineDate(date) { context["datetime"] = .text(machine) }
        }
        return context
    }

    /// A `datetime` attribute value for points with a day, month or year (else none).
    private static func machineDate(_ date: EDTFDate) -> String? {
        guard case .point(let point) = date, !point.approximate, !point.uncertain, point.season == nil else { return nil }
        func digits(_ number: Int, _ width: Int) -> String {
            let text = String(number)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let year = digits(point.year, 4)
        switch point.precision {
        case .day: return year + "-" + digits(point.month ?? 1, 2) + "-" + digits(point.day ?? 1, 2)
        case .month: return year + "-" + digits(point.month ?? 1, 2)
        case .year: return year
        default: return nil
        }
    }

    /// The numbered source list that ends a page.
    private func notes(_ registry: CitationRegistry, root: String) -> [TemplateObject] {
        registry.notes.map { note in
            let source = shared(noteSources, note.sourceOrdinal >= 0 ? note.sourceOrdinal : index.ordinal(of: note.sourceID)!, from: root, or: { self.noteSource($0, from: $1) })
            var context: TemplateObject = ["number": .text(note.number), "source": .fragment(source)]
            Self.set("occurrences", note.occurrences.enumerated().map { offset, occurrence in
                var item: TemplateObject = ["anchor": .text(occurrence.anchor), "letter": .text(Self.letter(offset))]
                if let locator = occurrence.locator { item["locator"] = .text(locator) }
                return item
            }, in: &context)
            context["single"] = .flag(note.occurrences.count == 1)
            context["has_locators"] = .flag(note.occurrences.contains { $0.locator != nil })
            return context
        }
    }

    /// An entry as "Mentioned in" lists it: link and kind.
    private func entryLink(_ entry: Entry, from root: String, renderedNow: Bool = false) -> SharedFragment {
        SharedFragment(partial: "entry-link", context: link(entry, from: root), templates: templates, renderedNow: renderedNow)
    }

    /// A source as its notes name it: link, publisher, date and the outlet it came through.
    private func noteSource(_ source: Entry, from root: String, renderedNow: Bool = false) -> SharedFragment {
        var context = link(source, from: root)
        if let publisher = source.publisher { context["publisher"] = .text(publisher) }
        if let via = source.via.flatMap({ dossier.targets[source]?[ordinal: $0] }) { context["via"] = .object(link(via, from: root)) }
        return SharedFragment(partial: "note-source", context: context, templates: templates, renderedNow: renderedNow)
    }

    /// An event in an entry's mini-timeline: date, title and places.
    private func eventLine(_ event: Entry, from root: String, renderedNow: Bool = false) -> SharedFragment {
        var context = link(event, from: root)
        Self.set("places", links(event.places, of: event, from: root), in: &context)
        return SharedFragment(partial: "event-line", context: context, templates: templates, renderedNow: renderedNow)
    }

    /// The shared fragment on entry pages (where it was made for), a fragment of its own
    /// elsewhere; `ordinal` is the entry's (see `Entry.ordinal`).
    private func shared(_ fragments: [SharedFragment?], _ ordinal: Int, from root: String,
                        or make: (Entry, String) -> SharedFragment) -> SharedFragment {
        if root == Self.entryRoot, fragments.indices.contains(ordinal), let fragment = fragments[ordinal] { return fragment }
        return make(index.orderedEntries[ordinal], root)
    }

    /// a, b, … z, aa, ab: back-link labels as in encyclopaedias.
    static func letter(_ offset: Int) -> String {
        offset < 26 ? letters[offset] : letter(offset / 26 - 1) + letters[offset % 26]
    }

    private static let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)

    /// What `owner`'s front-matter references name, once each, as links.
    private func links(_ references: [Reference], of owner: Entry, from root: String) -> [TemplateObject] {
        var seen = Set<Int>()
        let targets = dossier.targets[owner]
        return references.compactMap { targets?[ordinal: $0] }.filter { seen.insert($0).inserted }.map { link($0, from: root) }
    }

    // MARK: Pages

    private func home(_ path: String) -> Page {
        let root = SitePaths.rootPrefix(forPath: path)
        var context = layout(path: path, title: dossier.config.title, description: nil, section: nil, root: root)
        Self.set("counts", EntryType.allCases.map { type in
            ["label": .text(type.pluralTitle), "count": .text(count(type)), "href": .text(SitePaths.index(of: type))] as TemplateObject
        }, in: &context)
        context["timeline_count"] = .text(dossier.timeline.count)
        Self.set("notes", ids(of: .note).map { link($0, from: root) }, in: &context)
        Self.set("people", ids(of: .person).map { link($0, from: root) }, in: &context)
        if let first = dossier.timeline.first, let last = dossier.timeline.last {
            context["span"] = .text("\(index[first]!.date!.value.display(language: language)) – \(index[last]!.date!.value.display(language: language))")
        }
        return Page(path: path, template: "home", context: context)
    }

    private func count(_ type: EntryType) -> Int { index.ids(of: type).count }

    /// Ids of one type, in reading order: events by date, others by folded title.
    private func ids(of type: EntryType) -> [String] {
        if type == .event { return dossier.timeline }
        let index = self.index
        return index.inTitleOrder(index.ids(of: type))
    }

    private func list(_ type: EntryType, path: String) -> Page {
        let root = SitePaths.rootPrefix(forPath: path)
        var context = layout(path: path, title: type.pluralTitle, description: nil, section: type.folder, root: root)
        Self.set("items", ids(of: type).map { id -> TemplateObject in
            let entry = index[id]!
            var item = link(entry, from: root)
            if !entry.aliases.isEmpty { item["aliases"] = .text(entry.aliases.map(\.value).joined(separator: ", ")) }
            if let publisher = entry.publisher { item["publisher"] = .text(publisher) }
            if !entry.roles.isEmpty { item["roles"] = .text(entry.roles.joined(separator: "; ")) }
            return item
        }, in: &context)
        context["heading"] = .text(type.pluralTitle)
        context["is_events"] = .flag(type == .event)
        return Page(path: path, template: "list", context: context)
    }

    private func timeline(_ path: String) -> Page {
        let root = SitePaths.rootPrefix(forPath: path)
        var context = layout(path: path, title: "Timeline", description: nil, section: "timeline", root: root)
        var years: [(String, [TemplateObject])] = []
        for id in dossier.timeline {
            let event = index[id]!
            let year = yearHeading(event.date!.value)
            var item = link(event, from: root)
            Self.set("people", links(event.people, of: event, from: root), in: &item)
            Self.set("organizations", links(event.organizations, of: event, from: root), in: &item)
            Self.set("places", links(event.places, of: event, from: root), in: &item)
            Self.set("sources", links(event.sources, of: event, from: root), in: &item)
            if years.last?.0 == year { years[years.count - 1].1.append(item) } else { years.append((year, [item])) }
        }
        Self.set("years", years.map { year, items in
            var group: TemplateObject = ["year": .text(year)]
            Self.set("items", items, in: &group)
            return group
        }, in: &context)
        return Page(path: path, template: "timeline", context: context)
    }

    /// The group a dated item falls in: its year, or its decade or century when that
    /// is all the date says ("1980s").
    private func yearHeading(_ date: EDTFDate) -> String {
        guard let year = date.year else { return "Undated" }
        if case .point(let point) = date, point.precision < .year {
            return point.precision == .decade ? "\(year / 10 * 10)s" : "\(year / 100 * 100)s"
        }
        return String(year)
    }

    private func notFound(_ path: String) -> Page {
        // Served from any depth, so its links are absolute to the site root when known.
        let base = dossier.config.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let context = layout(path: path, title: "Page not found", description: nil, section: nil, root: base ?? "/")
        return Page(path: path, template: "404", context: context)
    }

    private func entry(_ entry: Entry, path: String) -> Page? {
        guard let resolved = dossier.resolvedPage(of: entry) else { return nil }
        let root = SitePaths.rootPrefix(forPath: path)
        var context = layout(path: path, title: entry.title, description: entry.summary, section: entry.type.folder, root: root)
        context["entry"] = .object(link(entry.id, from: root))
        context["type_label"] = .text(entry.type.singularTitle)
        context["section_href"] = .text(root + SitePaths.index(of: entry.type))
        context["section_label"] = .text(entry.type.pluralTitle)
        context["body"] = .markup(resolved.bodyHTML)
        context["has_body"] = .flag(!resolved.bodyHTML.isEmpty)
        if !entry.aliases.isEmpty { Self.set("aliases", entry.aliases.map { .text($0.value) }, in: &context) }
        if let marker = resolved.sourcesMarker { context["sources_marker"] = .text(marker) }
        Self.set("facts", facts(of: entry, root: root), in: &context)
        if !entry.tags.isEmpty { Self.set("tags", entry.tags.map { .text($0) }, in: &context) }

        let targets = dossier.targets[entry]
        Self.set("relations", zip(entry.relations, resolved.relationMarkers).compactMap { relation, marker -> TemplateObject? in
            guard let target = targets?[ordinal: relation.with] else { return nil }
            var item = link(target, from: root)
            item["kind"] = .text(relation.kind ?? "related to")
            item["cites"] = .text(marker)
            return item
        }, in: &context)
        Self.set("affiliations", zip(entry.affiliations, resolved.affiliationMarkers).compactMap { affiliation, marker -> TemplateObject? in
            guard let target = targets?[ordinal: affiliation.organization] else { return nil }
            var item = link(target, from: root)
            if let role = affiliation.role { item["role"] = .text(role) }
            let period = [affiliation.from, affiliation.to].map { $0?.value.display(language: language) }
            if period[0] != nil || period[1] != nil { item["period"] = .text("\(period[0] ?? "?") – \(period[1] ?? "?")") }
            item["cites"] = .text(marker)
            return item
        }, in: &context)
        Self.set("events", dossier.backLinks.eventOrdinals(naming: entry.id).map { shared(eventLines, Int($0), from: root, or: { self.eventLine($0, from: $1) }) }, in: &context)
        Self.set("mentions", dossier.backLinks.mentionOrdinals(of: entry.id).map { shared(entryLinks, Int($0), from: root, or: { self.entryLink($0, from: $1) }) }, in: &context)
        if entry.type == .source {
            Self.set("cited_by", dossier.backLinks.citedBy(entry.id).map { _, ordinal, locators -> TemplateObject in
                var item = link(index.orderedEntries[Int(ordinal)], from: root)
                if !locators.isEmpty { item["locators"] = .text(locators.joined(separator: "; ")) }
                return item
            }, in: &context)
            context["is_source"] = .flag(true)
        }
        context["is_person"] = .flag(entry.type == .person)
        Self.set("notes", notes(resolved.citations, root: root), in: &context)
        return Page(path: path, template: "entry", context: context)
    }

    /// The short labelled record under an entry's title.
    private func facts(of entry: Entry, root: String) -> [TemplateObject] {
        var facts: [TemplateObject] = []
        func fact(_ label: String, _ values: [TemplateObject]) {
            var fact: TemplateObject = ["label": .text(label)]
            Self.set("values", values, in: &fact)
            facts.append(fact)
        }
        func add(_ label: String, _ text: String?) {
            if let text, !text.isEmpty { fact(label, [["text": .text(text)]]) }
        }
        func add(_ label: String, links references: [Reference]) {
            let items = links(references, of: entry, from: root).map { ["text": $0["title"]!, "href": $0["href"]!] as TemplateObject }
            if !items.isEmpty { fact(label, items) }
        }
        func add(_ label: String, url: String?) {
            if let url, isWebURL(url) { fact(label, [["text": .text(url), "href": .text(url), "external": .flag(true)]]) } else { add(label, url) }
        }
        switch entry.type {
        case .person:
            add("Roles", entry.roles.joined(separator: "; "))
            add("Nationality", entry.nationality)
            add("Born", entry.born?.value.display(language: language))
            add("Died", entry.died?.value.display(language: language))
        case .organization:
            add("Kind", entry.kind)
            add("Country", entry.country)
            add("Part of", links: entry.parent.map { [$0] } ?? [])
        case .place:
            add("Kind", entry.kind)
            add("Country", entry.country)
            if let c = entry.coordinates { add("Coordinates", String(format: "%.4f, %.4f", c[0], c[1])) }
        case .event:
            add("Date", entry.date?.value.display(language: language))
            add("People", links: entry.people)
            add("Organisations", links: entry.organizations)
            add("Places", links: entry.places)
        case .source:
            add("Publisher", entry.publisher)
            add("Authors", entry.authors.joined(separator: ", "))
            add("Date", entry.date?.value.display(language: language))
            add("Kind", entry.kind)
            add("Language", entry.language)
            add("URL", url: entry.url)
            add("Archived copy", url: entry.archiveURL)
            add("Accessed", entry.accessed?.value.display(language: language))
            add("Known through", links: entry.via.map { [$0] } ?? [])
        case .note:
            add("Date", entry.date?.value.display(language: language))
            add("Authors", entry.authors.joined(separator: ", "))
        }
        add("Updated", entry.updated?.value.display(language: language))
        return facts
    }

    private func isWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}
