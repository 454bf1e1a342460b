// EDTF — Extended Date/Time Format (ISO 8601-2), levels 0 and 1.
//
// Authors date things the way archivists do: "2014", "198X", "2013-09?",
// "../2015-09". Dossier needs three things from such a string: a calendar range
// to sort and group by, a precise error when it is malformed, and a readable
// rendering in English or French. Anything outside levels 0 and 1 is rejected
// rather than guessed at, so a typo never silently becomes a different date.

// MARK: - Model

/// How finely a date is known. Declared coarsest first, so `a < b` means "a is coarser than b".
public enum DatePrecision: Int, Sendable, Comparable, CaseIterable {
    /// `19XX`
    case century
    /// `198X`
    case decade
    /// `2014`, `2014-XX`
    case year
    /// `2014-21` … `2014-24`: three months, so it sits between year and month.
    case season
    /// `2014-04`, `2014-04-XX`
    case month
    /// `2014-04-12`
    case day

    public static func < (lhs: DatePrecision, rhs: DatePrecision) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// The four EDTF level-1 season codes.
///
/// Seasons are the Northern-hemisphere meteorological ones. Winter starts in December
/// of its year and runs into February of the next, so a season never begins before its
/// own year and timeline grouping by year stays intuitive.
public enum EDTFSeason: Int, Sendable, Hashable, CaseIterable {
    case spring = 21, summer, autumn, winter

    /// First month of the season (March, June, September, December).
    public var firstMonth: Int { 3 + 3 * (rawValue - 21) }
}

/// One calendar point, possibly with unspecified digits and a qualifier.
///
/// The stored fields are exactly what was written, so `text` reproduces the input;
/// the day range is derived from them rather than stored, so it can never disagree.
public struct EDTFPoint: Sendable, Hashable {
    /// Astronomical year (0 = 1 BC, -1 = 2 BC). For `198X` this is 1980, for `19XX` 1900.
    public var year: Int
    /// 1–12; nil for coarser precisions, seasons and `XX`.
    public var month: Int?
    public var day: Int?
    public var season: EDTFSeason?
    public var precision: DatePrecision
    /// `?` (or `%`)
    public var uncertain: Bool
    /// `~` (or `%`)
    public var approximate: Bool
    /// `2014-XX`: the month was written as unknown; precision stays `.year`.
    public var unspecifiedMonth: Bool
    /// `2014-04-XX`: the day was written as unknown; precision stays `.month`.
    public var unspecifiedDay: Bool

    /// Builds a point as-is; no validation (use `EDTFDate.parse` for text from authors).
    public init(year: Int, month: Int? = nil, day: Int? = nil, season: EDTFSeason? = nil,
                precision: DatePrecision, uncertain: Bool = false, approximate: Bool = false,
                unspecifiedMonth: Bool = false, unspecifiedDay: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.season = season
        self.precision = precision
        self.uncertain = uncertain
        self.approximate = approximate
        self.unspecifiedMonth = unspecifiedMonth
        self.unspecifiedDay = unspecifiedDay
    }

    /// How many trailing year digits were `X`: 2 for `19XX`, 1 for `198X`, else 0.
    public var unspecifiedYearDigits: Int {
        switch precision {
        case .century: 2
        case .decade: 1
        default: 0
        }
    }

    /// `198X`-style year.
    public var unspecifiedDecade: Bool { precision == .decade }

    /// Earliest day this point could denote, in days since 0000-01-01 (proleptic Gregorian).
    /// Qualifiers (`?`, `~`) do not widen the range: they are shown, not computed with.
    public var earliestDay: Int { span.first }

    /// Latest day this point could denote (inclusive).
    public var latestDay: Int { span.afterLast - 1 }

    /// Half-open day range. Asking for "the first day of the next unit" avoids any
    /// per-precision month-length logic.
    private var span: (first: Int, afterLast: Int) {
        let month = month ?? 1
        switch precision {
        case .century:
            return (EDTFCalendar.day(year, 1, 1), EDTFCalendar.day(year + 100, 1, 1))
        case .decade:
            return (EDTFCalendar.day(year, 1, 1), EDTFCalendar.day(year + 10, 1, 1))
        case .year:
            return (EDTFCalendar.day(year, 1, 1), EDTFCalendar.day(year + 1, 1, 1))
        case .season:
            let first = season?.firstMonth ?? 1
            return (EDTFCalendar.day(year, first, 1), EDTFCalendar.day(year, first + 3, 1))
        case .month:
            return (EDTFCalendar.day(year, month, 1), EDTFCalendar.day(year, month + 1, 1))
        case .day:
            let day = EDTFCalendar.day(year, month, self.day ?? 1)
            return (day, day + 1)
        }
    }

    /// The point in EDTF notation; equal to the parsed text.
    public var text: String {
        var digits = Array(String(abs(year)).edtfZeroPadded(to: 4))
        for index in digits.indices.suffix(unspecifiedYearDigits) { digits[index] = "X" }
        var text = (year < 0 ? "-" : "") + String(digits)
        if unspecifiedMonth {
            text += "-XX"
        } else if let season {
            text += "-\(season.rawValue)"
        } else if let month {
            text += "-" + String(month).edtfZeroPadded(to: 2)
        }
        if unspecifiedDay {
            text += "-XX"
        } else if let day {
            text += "-" + String(day).edtfZeroPadded(to: 2)
        }
        switch (uncertain, approximate) {
        case (true, true): text += "%"
        case (true, false): text += "?"
        case (false, true): text += "~"
        case (false, false): break
        }
        return text
    }
}

/// A parsed EDTF value: a single point or an interval.
public enum EDTFDate: Sendable, Hashable, CustomStringConvertible {
    case point(EDTFPoint)
    /// A nil end is unknown (written empty, `/2015`) or open (written `..`, flagged by `openStart`/`openEnd`).
    case interval(start: EDTFPoint?, end: EDTFPoint?, openStart: Bool, openEnd: Bool)

    /// Parses EDTF levels 0 and 1. Surrounding whitespace is ignored; error offsets
    /// count characters from the start of `text` as given (whitespace included).
    public static func parse(_ text: String) throws(EDTFError) -> EDTFDate {
        try EDTFParser(text).parse()
    }

    /// The point a timeline places this value at: the start, or the end when the start is open/unknown.
    private var anchor: EDTFPoint? {
        switch self {
        case .point(let point): point
        case .interval(let start, let end, _, _): start ?? end
        }
    }

    /// Earliest possible day (days since 0000-01-01); for an open/unknown start, the end's earliest day.
    public var earliestDay: Int? { anchor?.earliestDay }

    /// Latest possible day; nil when the end is open or unknown.
    public var latestDay: Int? {
        switch self {
        case .point(let point): point.latestDay
        case .interval(_, let end, _, _): end?.latestDay
        }
    }

    /// Earliest possible day, then coarser precision first, then text (so ties are deterministic).
    public var sortKey: EDTFSortKey {
        EDTFSortKey(earliestDay: anchor?.earliestDay ?? .max, precision: anchor?.precision ?? .century, text: text)
    }

    /// The year to group under on a timeline: the anchor's (earliest) year.
    public var year: Int? { anchor?.year }

    /// The value in EDTF notation. The grammar has one spelling per value, so this is the
    /// input with surrounding whitespace removed.
    public var text: String {
        switch self {
        case .point(let point):
            return point.text
        case .interval(let start, let end, let openStart, let openEnd):
            let from = openStart ? ".." : (start?.text ?? "")
            let to = openEnd ? ".." : (end?.text ?? "")
            return from + "/" + to
        }
    }

    public var description: String { text }
}

/// Sort order for dates: see `EDTFDate.sortKey`.
public struct EDTFSortKey: Sendable, Hashable, Comparable {
    public var earliestDay: Int
    public var precision: DatePrecision
    public var text: String

    public static func < (lhs: EDTFSortKey, rhs: EDTFSortKey) -> Bool {
        if lhs.earliestDay != rhs.earliestDay { return lhs.earliestDay < rhs.earliestDay }
        if lhs.precision != rhs.precision { return lhs.precision < rhs.precision }
        return lhs.text < rhs.text
    }
}

/// Why a date failed to parse, and where.
public struct EDTFError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 0-based character offset in the input (surrounding whitespace included).
    public var offset: Int
    public var hint: String?

    public init(message: String, offset: Int, hint: String? = nil) {
        self.message = message
        self.offset = offset
        self.hint = hint
    }

    public var description: String {
        "\(message) (at offset \(offset))" + (hint.map { "; \($0)" } ?? "")
    }
}

// MARK: - Parsing

/// Shown whenever the input doesn't look like EDTF at all.
private let formatHint = "write dates as YYYY-MM-DD, e.g. 1994-08-24"

/// Splits the text into at most two interval ends and hands each to `PointScanner`.
/// All indices are absolute positions in the untrimmed input, so error offsets need no adjusting.
private struct EDTFParser {
    let chars: [Character]

    init(_ text: String) { chars = Array(text) }

    /// One side of a `/`.
    enum End: Equatable {
        case unknown, open
        case date(EDTFPoint)

        var point: EDTFPoint? {
            if case .date(let point) = self { point } else { nil }
        }
    }

    func parse() throws(EDTFError) -> EDTFDate {
        let first = chars.firstIndex { !$0.isWhitespace } ?? chars.count
        let last = chars.lastIndex { !$0.isWhitespace } ?? -1
        guard first <= last else {
            throw EDTFError(message: "the date is empty", offset: 0, hint: formatHint)
        }
        let range = first..<(last + 1)
        let slashes = range.filter { chars[$0] == "/" }
        switch slashes.count {
        case 0:
            return try parseLone(range)
        case 1:
            return try parseInterval(range, slash: slashes[0])
        default:
            throw EDTFError(message: "only one '/' is allowed, between the two ends of an interval",
                            offset: slashes[1], hint: formatHint)
        }
    }

    private func parseLone(_ range: Range<Int>) throws(EDTFError) -> EDTFDate {
        if String(chars[range]) == ".." {
            throw EDTFError(message: "'..' marks an open end and is only allowed in an interval",
                            offset: range.lowerBound, hint: "e.g. ../2015-09 or 2014/..")
        }
        return .point(try PointScanner.point(in: chars, range: range))
    }

    private func parseInterval(_ range: Range<Int>, slash: Int) throws(EDTFError) -> EDTFDate {
        let start = try parseEnd(range.lowerBound..<slash)
        let end = try parseEnd((slash + 1)..<range.upperBound)
        guard start.point != nil || end.point != nil else {
            throw EDTFError(message: "an interval needs a date on at least one side of '/'",
                            offset: range.lowerBound, hint: "e.g. 2014/2015, ../2015 or 2014/..")
        }
        if let from = start.point, let to = end.point, to.latestDay < from.earliestDay {
            throw EDTFError(message: "interval ends (\(to.text)) before it starts (\(from.text))",
                            offset: slash + 1, hint: "put the earlier date first")
        }
        return .interval(start: start.point, end: end.point, openStart: start == .open, openEnd: end == .open)
    }

    private func parseEnd(_ range: Range<Int>) throws(EDTFError) -> End {
        if range.isEmpty { return .unknown }
        if String(chars[range]) == ".." { return .open }
        return .date(try PointScanner.point(in: chars, range: range))
    }
}

/// Reads one point — `[-]YYYY[-MM[-DD]][?|~|%]`, with level-1 `X` digits and seasons —
/// left to right, failing at the first character that can't belong.
private struct PointScanner {
    let chars: [Character]
    var index: Int
    let end: Int

    private init(chars: [Character], range: Range<Int>) {
        self.chars = chars
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// The point spelled by `chars[range]`, which must contain nothing else.
    static func point(in chars: [Character], range: Range<Int>) throws(EDTFError) -> EDTFPoint {
        var scanner = PointScanner(chars: chars, range: range)
        return try scanner.scan()
    }

    private var peek: Character? { index < end ? chars[index] : nil }

    private mutating func scan() throws(EDTFError) -> EDTFPoint {
        var point = try scanYear()
        if peek == "-" {
            index += 1
            try scanMonth(into: &point)
        }
        if peek == "-" {
            index += 1
            try scanDay(into: &point)
        }
        scanQualifier(into: &point)
        try expectEnd(qualified: point.uncertain || point.approximate)
        return point
    }

    // MARK: Components

    private mutating func scanYear() throws(EDTFError) -> EDTFPoint {
        let signIndex = index
        let negative = peek == "-"
        if negative { index += 1 }
        if peek == "Y" {
            throw fail("years beyond 9999 are not supported",
                       hint: "Dossier reads four-digit years only; 'Y'-prefixed EDTF years can't be placed on a timeline")
        }
        let start = index
        let digits = scanDigitRun()
        if digits.count > 4 {
            throw fail("a year has exactly four digits (years beyond 9999 are not supported)", at: start + 4, hint: formatHint)
        }
        if digits.count < 4 { throw shortComponent("the year must have four digits") }

        let unspecified = try checkYearX(digits, start: start, negative: negative)
        let value = Int(String(digits.map { $0 == "X" ? "0" : $0 }))!
        if negative && value == 0 {
            throw fail("-0000 is not a valid year", at: signIndex, hint: "write 0000")
        }
        let precision: DatePrecision = [.year, .decade, .century][unspecified]
        return EDTFPoint(year: negative ? -value : value, precision: precision)
    }

    /// Level 1 allows `X` only as the last one or two year digits; returns how many there are.
    private func checkYearX(_ digits: [Character], start: Int, negative: Bool) throws(EDTFError) -> Int {
        guard let firstX = digits.firstIndex(of: "X") else { return 0 }
        let count = digits.count - firstX
        guard digits[firstX...].allSatisfy({ $0 == "X" }), count <= 2 else {
            throw fail("only the last one or two digits of a year may be X (e.g. 198X, 19XX)", at: start + firstX)
        }
        if negative {
            throw fail("unspecified digits (X) are not supported in negative years", at: start + firstX)
        }
        return count
    }

    private mutating func scanMonth(into point: inout EDTFPoint) throws(EDTFError) {
        let start = index
        guard point.precision == .year else {
            throw fail("a year with unspecified digits can't have a month", hint: "write just \(point.text)")
        }
        switch try scanTwoDigits("month") {
        case nil:
            point.unspecifiedMonth = true
        case let value? where (1...12).contains(value):
            point.month = value
            point.precision = .month
        case let value? where (21...24).contains(value):
            point.season = EDTFSeason(rawValue: value)
            point.precision = .season
        case let value?:
            // Past the seasons it was probably meant as one; below them, likely a swapped day and month.
            throw fail("month \(String(value).edtfZeroPadded(to: 2)) is out of range (01–12)", at: start,
                       hint: value > 24 ? "seasons are written 21 (spring) to 24 (winter)" : formatHint)
        }
    }

    private mutating func scanDay(into point: inout EDTFPoint) throws(EDTFError) {
        let start = index
        if point.season != nil { throw fail("a season can't have a day") }
        guard let value = try scanTwoDigits("day") else {
            point.unspecifiedDay = true
            return
        }
        guard let month = point.month else {
            throw fail("a day can't follow an unspecified month (XX)", at: start, hint: "write \(point.year)-XX-XX")
        }
        let last = EDTFCalendar.daysIn(month: month, year: point.year)
        guard (1...last).contains(value) else {
            let monthName = englishMonths[month - 1]
            throw fail("day \(String(value).edtfZeroPadded(to: 2)) is out of range for \(monthName) \(point.year) (01–\(last))",
                       at: start)
        }
        point.day = value
        point.precision = .day
    }

    private mutating func scanQualifier(into point: inout EDTFPoint) {
        switch peek {
        case "?": point.uncertain = true
        case "~": point.approximate = true
        case "%": point.uncertain = true; point.approximate = true
        default: return
        }
        index += 1
    }

    /// Anything left over is an error; the message depends on what it looks like.
    private func expectEnd(qualified: Bool) throws(EDTFError) {
        guard let next = peek else { return }
        if "?~%".contains(next) {
            throw fail("only one qualifier (?, ~ or %) may follow a date",
                       hint: "use % for a date that is both uncertain and approximate")
        }
        if qualified {
            throw fail("\(describe(next)) is not allowed after the qualifier",
                       hint: "a qualifier (?, ~ or %) applies to the whole date and goes at its very end")
        }
        if next == "T" {
            throw fail("times are not supported", hint: "write only the date, e.g. 2014-04-12")
        }
        throw fail("\(describe(next)) is not allowed after the date", hint: formatHint)
    }

    // MARK: Helpers

    /// Consumes consecutive ASCII digits and capital `X`s.
    private mutating func scanDigitRun() -> [Character] {
        var run: [Character] = []
        while let c = peek, c == "X" || (c.isASCII && c.isWholeNumber) {
            run.append(c)
            index += 1
        }
        return run
    }

    /// A two-character month or day: its value, or nil for `XX`.
    private mutating func scanTwoDigits(_ name: String) throws(EDTFError) -> Int? {
        let start = index
        let run = scanDigitRun()
        guard run.count == 2 else {
            if run.count == 1, run[0] != "X", peek != "x" {
                throw fail("the \(name) must have two digits", at: start, hint: "write it with a leading zero: 0\(run[0])")
            }
            if run.isEmpty || peek == "x" { throw shortComponent("the \(name) must have two digits", at: start) }
            throw fail("the \(name) must have two digits", at: start, hint: formatHint)
        }
        if run == ["X", "X"] { return nil }
        if let x = run.firstIndex(of: "X") {
            throw fail("a \(name) is either two digits or XX", at: start + x)
        }
        return Int(String(run))!
    }

    /// A component ended early: point at the offending character (or `at`), with a special
    /// case for lowercase `x`, the most likely slip in level-1 dates.
    private func shortComponent(_ message: String, at offset: Int? = nil) -> EDTFError {
        if peek == "x" {
            return fail("unspecified digits are written with a capital X", hint: "e.g. 198X, 2014-XX")
        }
        return fail("\(message), found \(describe(peek))", at: offset ?? index, hint: formatHint)
    }

    private func describe(_ c: Character?) -> String {
        guard let c else { return "the end of the date" }
        return c.isWhitespace ? "a space" : "'\(c)'"
    }

    private func fail(_ message: String, at offset: Int? = nil, hint: String? = nil) -> EDTFError {
        EDTFError(message: message, offset: offset ?? index, hint: hint)
    }
}

// MARK: - Calendar

/// Proleptic Gregorian day numbers (Howard Hinnant's days_from_civil), shifted so 0000-01-01 is day 0.
enum EDTFCalendar {
    /// Day number of a date. `month` may overflow past 12 ("the month after December"),
    /// which lets callers compute the first day of the next unit without special cases.
    static func day(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let year = year + (month - 1) / 12
        let month = (month - 1) % 12 + 1
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        // days_from_civil counts from 1970-01-01, which is day 719528 after 0000-01-01.
        return era * 146_097 + dayOfEra - 719_468 + 719_528
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

// MARK: - Display

private let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
private let frenchMonths = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                            "août", "septembre", "octobre", "novembre", "décembre"]

extension EDTFDate {
    /// Human-readable form: `language` "fr" (or "fr-…") gives French, anything else English.
    /// Intervals are never compacted ("April 2014 – September 2015"), to stay predictable.
    public func display(language: String) -> String {
        let style: DisplayStyle = language.lowercased().hasPrefix("fr") ? .french : .english
        switch self {
        case .point(let point):
            return style.standalone(point)
        case .interval(let start, let end, let openStart, let openEnd):
            switch (start, end) {
            case let (start?, end?): return "\(style.standalone(start)) – \(style.standalone(end))"
            case let (nil, end?): return openStart ? style.until(end) : "? – \(style.standalone(end))"
            case let (start?, nil): return openEnd ? style.from(start) : "\(style.standalone(start)) – ?"
            case (nil, nil): return "?"
            }
        }
    }
}

/// Wording for one language. Each point has a bare phrase ("1980s", "années 1980") and
/// one with its article ("the 1980s", "les années 1980"), which "from"/"until" need —
/// French also contracts it ("jusqu'aux années 1980", "jusqu'au 24 août 1994").
/// Uncertainty is a plain "?" suffix in both languages so it reads like the EDTF source.
private enum DisplayStyle {
    case english, french

    func standalone(_ point: EDTFPoint) -> String {
        let phrase: String
        switch self {
        case .english: phrase = point.approximate ? "c. " + bare(point) : bare(point)
        case .french: phrase = point.approximate ? "vers " + withArticle(point) : bare(point)
        }
        return phrase + (point.uncertain ? "?" : "")
    }

    func until(_ point: EDTFPoint) -> String {
        let phrase: String
        switch self {
        case .english: phrase = "until " + (point.approximate ? "c. " + bare(point) : withArticle(point))
        case .french: phrase = point.approximate ? "jusque vers " + withArticle(point) : Self.frenchUntil(withArticle(point))
        }
        return phrase + (point.uncertain ? "?" : "")
    }

    func from(_ point: EDTFPoint) -> String {
        let phrase: String
        switch self {
        case .english: phrase = "from " + (point.approximate ? "c. " + bare(point) : withArticle(point))
        case .french: phrase = (point.approximate ? "depuis environ " : "depuis ") + withArticle(point)
        }
        return phrase + (point.uncertain ? "?" : "")
    }

    /// "jusqu'à" contracts with the article; dates without one (years, months) take "jusqu'en".
    private static func frenchUntil(_ phrase: String) -> String {
        if phrase.hasPrefix("les ") { return "jusqu'aux " + phrase.dropFirst(4) }
        if phrase.hasPrefix("le ") { return "jusqu'au " + phrase.dropFirst(3) }
        if phrase.hasPrefix("l'") { return "jusqu'à " + phrase }
        return "jusqu'en " + phrase
    }

    private func bare(_ point: EDTFPoint) -> String {
        let year = yearText(point.year)
        let month = point.month.map { self == .english ? englishMonths[$0 - 1] : frenchMonths[$0 - 1] } ?? ""
        switch (self, point.precision) {
        case (.english, .century), (.english, .decade): return "\(point.year)s"
        case (.french, .decade): return "années \(point.year)"
        case (.french, .century): return Self.frenchCentury(point.year)
        case (_, .year): return year
        case (_, .season): return "\(seasonName(point.season)) \(year)"
        case (_, .month): return "\(month) \(year)"
        case (.english, .day): return "\(point.day ?? 1) \(month) \(year)"
        case (.french, .day): return "\(point.day == 1 ? "1er" : String(point.day ?? 1)) \(month) \(year)"
        }
    }

    private func withArticle(_ point: EDTFPoint) -> String {
        let bare = bare(point)
        switch (self, point.precision) {
        case (.english, .century), (.english, .decade): return "the " + bare
        case (.english, _): return bare
        case (.french, .decade): return "les " + bare
        case (.french, .century), (.french, .day): return "le " + bare
        case (.french, .season): return (point.season == .spring ? "le " : "l'") + bare
        case (.french, _): return bare
        }
    }

    /// Astronomical years ≤ 0 become BC: year 0 is 1 BC.
    private func yearText(_ year: Int) -> String {
        guard year <= 0 else { return String(year) }
        return "\(1 - year)" + (self == .english ? " BC" : " av. J.-C.")
    }

    private func seasonName(_ season: EDTFSeason?) -> String {
        let index = (season?.rawValue ?? 21) - 21
        return self == .english
            ? ["spring", "summer", "autumn", "winter"][index]
            : ["printemps", "été", "automne", "hiver"][index]
    }

    /// `19XX` → "XXe siècle" (1900–1999, the way French speakers use it).
    private static func frenchCentury(_ year: Int) -> String {
        let number = year / 100 + 1
        return romanNumeral(number) + (number == 1 ? "er" : "e") + " siècle"
    }

    private static func romanNumeral(_ number: Int) -> String {
        let symbols: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var rest = number
        var result = ""
        for (value, symbol) in symbols {
            while rest >= value {
                result += symbol
                rest -= value
            }
        }
        return result
    }
}

private extension String {
    func edtfZeroPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
