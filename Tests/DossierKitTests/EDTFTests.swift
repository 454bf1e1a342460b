import Testing
@testable import DossierKit

/// Parses `text` or records a failure; keeps the tests below free of `try` noise.
private func parsed(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> EDTFDate? {
    do {
        return try EDTFDate.parse(text)
    } catch {
        Issue.record("'\(text)' should parse but failed: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

private func point(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> EDTFPoint? {
    guard case .point(let point)? = parsed(text, sourceLocation: sourceLocation) else {
        Issue.record("'\(text)' should be a single point", sourceLocation: sourceLocation)
        return nil
    }
    return point
}

/// The error `text` is rejected with, or nil (and a recorded failure) if it parses.
private func rejection(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> EDTFError? {
    do {
        let date = try EDTFDate.parse(text)
        Issue.record("'\(text)' should be rejected but parsed as \(date)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

private func day(_ year: Int, _ month: Int, _ day: Int) -> Int { EDTFCalendar.day(year, month, day) }

// MARK: - Calendar

@Test func dayNumbersCountFromYearZero() {
    #expect(day(0, 1, 1) == 0)
    #expect(day(1970, 1, 1) == 719_528)
    #expect(day(2000, 3, 1) - day(2000, 2, 28) == 2)  // 2000 is a leap year
    #expect(day(1900, 3, 1) - day(1900, 2, 28) == 1)  // 1900 is not
    #expect(day(2014, 13, 1) == day(2015, 1, 1))      // month overflow rolls into the next year
}

// MARK: - Level 0

@Test func level0Year() throws {
    let p = try #require(point("1994"))
    #expect(p.year == 1994 && p.month == nil && p.day == nil)
    #expect(p.precision == .year)
    #expect(!p.uncertain && !p.approximate)
    #expect(p.earliestDay == day(1994, 1, 1))
    #expect(p.latestDay == day(1994, 12, 31))
}

@Test func level0Month() throws {
    let p = try #require(point("1994-08"))
    #expect(p.year == 1994 && p.month == 8 && p.day == nil)
    #expect(p.precision == .month)
    #expect(p.earliestDay == day(1994, 8, 1))
    #expect(p.latestDay == day(1994, 8, 31))
}

@Test func level0Day() throws {
    let p = try #require(point("1994-08-24"))
    #expect(p.year == 1994 && p.month == 8 && p.day == 24)
    #expect(p.precision == .day)
    #expect(p.earliestDay == day(1994, 8, 24))
    #expect(p.latestDay == p.earliestDay)
}

@Test func leapDaysAreValidatedAgainstTheYear() throws {
    #expect(try #require(point("2020-02-29")).day == 29)
    #expect(try #require(point("2000-02-29")).day == 29)
    #expect(throws: EDTFError.self) { try EDTFDate.parse("1900-02-29") }
    #expect(throws: EDTFError.self) { try EDTFDate.parse("2019-04-31") }
}

@Test func level0Interval() throws {
    let date = try #require(parsed("1994-08/2014"))
    guard case let .interval(start?, end?, openStart, openEnd) = date else {
        Issue.record("expected a closed interval, got \(date)")
        return
    }
    #expect(start.month == 8 && end.year == 2014)
    #expect(!openStart && !openEnd)
    #expect(date.earliestDay == day(1994, 8, 1))
    #expect(date.latestDay == day(2014, 12, 31))
    #expect(date.year == 1994)
}

/// An end is only "before" the start when it can't overlap it at all: coarse ends may contain the start.
@Test func intervalEndsMayOverlapTheirStart() throws {
    #expect(try #require(parsed("2014/2014-06")).latestDay == day(2014, 6, 30))
    #expect(try #require(parsed("2014-06/2014")).latestDay == day(2014, 12, 31))
    #expect(try #require(parsed("2014-04-12/2014-04-12")).earliestDay == day(2014, 4, 12))
}

@Test func surroundingWhitespaceIsTrimmed() throws {
    let date = try #require(parsed("  2014-04\n"))
    #expect(date.text == "2014-04")
    #expect(date == parsed("2014-04"))
}

// MARK: - Level 1

@Test func qualifiersApplyToTheWholeDate() throws {
    let uncertain = try #require(point("2013-09?"))
    #expect(uncertain.uncertain && !uncertain.approximate && uncertain.month == 9)
    let approximate = try #require(point("2014~"))
    #expect(!approximate.uncertain && approximate.approximate && approximate.precision == .year)
    let both = try #require(point("2014%"))
    #expect(both.uncertain && both.approximate)
    // Qualifiers are shown, not computed with: the range is the unqualified one.
    #expect(both.earliestDay == day(2014, 1, 1) && both.latestDay == day(2014, 12, 31))
}

@Test func unspecifiedDecade() throws {
    let p = try #require(point("198X"))
    #expect(p.year == 1980 && p.precision == .decade && p.unspecifiedDecade)
    #expect(p.unspecifiedYearDigits == 1)
    #expect(p.earliestDay == day(1980, 1, 1))
    #expect(p.latestDay == day(1989, 12, 31))
}

@Test func unspecifiedCentury() throws {
    let p = try #require(point("19XX"))
    #expect(p.year == 1900 && p.precision == .century && p.unspecifiedYearDigits == 2)
    #expect(p.earliestDay == day(1900, 1, 1))
    #expect(p.latestDay == day(1999, 12, 31))
}

@Test func unspecifiedMonthAndDay() throws {
    let month = try #require(point("2014-XX"))
    #expect(month.precision == .year && month.unspecifiedMonth && month.month == nil)
    #expect(month.latestDay == day(2014, 12, 31))

    let dayOnly = try #require(point("2014-04-XX"))
    #expect(dayOnly.precision == .month && dayOnly.unspecifiedDay && dayOnly.month == 4 && dayOnly.day == nil)
    #expect(dayOnly.latestDay == day(2014, 4, 30))

    let both = try #require(point("2014-XX-XX"))
    #expect(both.precision == .year && both.unspecifiedMonth && both.unspecifiedDay)
}

@Test func seasons() throws {
    let spring = try #require(point("2014-21"))
    #expect(spring.season == .spring && spring.precision == .season && spring.month == nil)
    #expect(spring.earliestDay == day(2014, 3, 1) && spring.latestDay == day(2014, 5, 31))
    #expect(try #require(point("2014-22")).season == .summer)
    #expect(try #require(point("2014-23")).latestDay == day(2014, 11, 30))
    // Winter starts in December of its year and runs into the next February.
    let winter = try #require(point("2015-24"))
    #expect(winter.season == .winter)
    #expect(winter.earliestDay == day(2015, 12, 1) && winter.latestDay == day(2016, 2, 29))
}

@Test func openStartInterval() throws {
    let date = try #require(parsed("../2015-09"))
    guard case let .interval(start, end?, openStart, openEnd) = date else {
        Issue.record("expected an interval with an end, got \(date)")
        return
    }
    #expect(start == nil && openStart && !openEnd && end.month == 9)
    #expect(date.earliestDay == day(2015, 9, 1))  // the end's, since the start is open
    #expect(date.year == 2015)
}

@Test func openEndInterval() throws {
    let date = try #require(parsed("2014/.."))
    guard case let .interval(start?, end, openStart, openEnd) = date else {
        Issue.record("expected an interval with a start, got \(date)")
        return
    }
    #expect(start.year == 2014 && end == nil && !openStart && openEnd)
    #expect(date.latestDay == nil)
}

@Test func unknownEnds() throws {
    let unknownStart = try #require(parsed("/2015"))
    guard case let .interval(nil, end?, false, false) = unknownStart else {
        Issue.record("expected an unknown start, got \(unknownStart)")
        return
    }
    #expect(end.year == 2015)
    #expect(unknownStart.earliestDay == day(2015, 1, 1))

    let unknownEnd = try #require(parsed("2014/"))
    guard case let .interval(start?, nil, false, false) = unknownEnd else {
        Issue.record("expected an unknown end, got \(unknownEnd)")
        return
    }
    #expect(start.year == 2014)
}

@Test func qualifiedIntervalEnds() throws {
    let date = try #require(parsed("2014~/2015-09?"))
    guard case let .interval(start?, end?, _, _) = date else {
        Issue.record("expected a closed interval, got \(date)")
        return
    }
    #expect(start.approximate && !start.uncertain)
    #expect(end.uncertain && !end.approximate && end.month == 9)
}

@Test func negativeYears() throws {
    let p = try #require(point("-0050"))
    #expect(p.year == -50)
    #expect(p.earliestDay == day(-50, 1, 1))
    #expect(p.earliestDay < 0)
}

@Test(arguments: ["1994", "1994-08", "1994-08-24", "2013-09?", "2014~", "2014%", "198X", "19XX", "2014-XX",
                  "2014-04-XX", "2014-XX-XX", "2014-21", "../2015-09", "2014/..", "/2015", "2014/",
                  "2014~/2015-09?", "-0050", "0001-01-01"])
func textRoundTrips(_ text: String) throws {
    #expect(try #require(parsed(text)).text == text)
}

// MARK: - Errors

struct InvalidCase: Sendable, CustomTestStringConvertible {
    var input: String
    var offset: Int
    var message: String
    var testDescription: String { "'\(input)'" }
}

@Test(arguments: [
    InvalidCase(input: "2019-13-45", offset: 5, message: "month 13 is out of range (01–12)"),
    InvalidCase(input: "2019-02-29", offset: 8, message: "day 29 is out of range for February 2019 (01–28)"),
    InvalidCase(input: "20x4", offset: 2, message: "capital X"),
    InvalidCase(input: "20X4", offset: 2, message: "last one or two digits"),
    InvalidCase(input: "1XXX", offset: 1, message: "last one or two digits"),
    InvalidCase(input: "2014-4", offset: 5, message: "month must have two digits"),
    InvalidCase(input: "2014-04-1", offset: 8, message: "day must have two digits"),
    InvalidCase(input: "", offset: 0, message: "empty"),
    InvalidCase(input: "   ", offset: 0, message: "empty"),
    InvalidCase(input: "2015/2014", offset: 5, message: "interval ends (2014) before it starts (2015)"),
    InvalidCase(input: "2014-05/2014-04-30", offset: 8, message: "interval ends"),
    InvalidCase(input: "24 Aug 1994", offset: 2, message: "year must have four digits"),
    InvalidCase(input: "1994/08/24", offset: 7, message: "only one '/'"),
    InvalidCase(input: "19940824", offset: 4, message: "four digits"),
    InvalidCase(input: "Y170000002", offset: 0, message: "years beyond 9999 are not supported"),
    InvalidCase(input: "2014??", offset: 5, message: "only one qualifier"),
    InvalidCase(input: "2014?-04", offset: 5, message: "'-' is not allowed after the qualifier"),
    InvalidCase(input: "2014-25", offset: 5, message: "month 25 is out of range"),
    InvalidCase(input: "2014-00", offset: 5, message: "month 00 is out of range"),
    InvalidCase(input: "2014-21-03", offset: 8, message: "season can't have a day"),
    InvalidCase(input: "198X-04", offset: 5, message: "unspecified digits can't have a month"),
    InvalidCase(input: "2014-XX-12", offset: 8, message: "unspecified month"),
    InvalidCase(input: "2014-1X", offset: 6, message: "either two digits or XX"),
    InvalidCase(input: "..", offset: 0, message: "only allowed in an interval"),
    InvalidCase(input: "../..", offset: 0, message: "at least one side"),
    InvalidCase(input: "/", offset: 0, message: "at least one side"),
    InvalidCase(input: "2014-04-12T10:00", offset: 10, message: "times are not supported"),
    InvalidCase(input: "2014 / 2015", offset: 4, message: "a space is not allowed after the date"),
    InvalidCase(input: "-0000", offset: 0, message: "not a valid year"),
    InvalidCase(input: "  2019-13-01", offset: 7, message: "month 13"),  // offsets count the leading spaces
])
func invalidInputsReportWhereAndWhy(_ invalid: InvalidCase) throws {
    let error = try #require(rejection(invalid.input))
    #expect(error.offset == invalid.offset)
    #expect(error.message.contains(invalid.message), "message was: \(error.message)")
}

@Test func malformedDatesHintAtTheEDTFForm() throws {
    #expect(try #require(rejection("24 Aug 1994")).hint == "write dates as YYYY-MM-DD, e.g. 1994-08-24")
    #expect(try #require(rejection("2014-4")).hint == "write it with a leading zero: 04")
    #expect(try #require(rejection("2014-04-12T10:00")).hint?.contains("only the date") == true)
}

// MARK: - Display

struct DisplayCase: Sendable, CustomTestStringConvertible {
    var input: String
    var english: String
    var french: String
    var testDescription: String { "'\(input)'" }
}

@Test(arguments: [
    DisplayCase(input: "1994-08-24", english: "24 August 1994", french: "24 août 1994"),
    DisplayCase(input: "1994-08-01", english: "1 August 1994", french: "1er août 1994"),
    DisplayCase(input: "2014-04", english: "April 2014", french: "avril 2014"),
    DisplayCase(input: "2014", english: "2014", french: "2014"),
    DisplayCase(input: "198X", english: "1980s", french: "années 1980"),
    DisplayCase(input: "19XX", english: "1900s", french: "XXe siècle"),
    DisplayCase(input: "00XX", english: "0s", french: "Ier siècle"),
    DisplayCase(input: "2014-XX", english: "2014", french: "2014"),
    DisplayCase(input: "2014-04-XX", english: "April 2014", french: "avril 2014"),
    DisplayCase(input: "2014-21", english: "spring 2014", french: "printemps 2014"),
    DisplayCase(input: "2014-22", english: "summer 2014", french: "été 2014"),
    DisplayCase(input: "2014-23", english: "autumn 2014", french: "automne 2014"),
    DisplayCase(input: "2014-24", english: "winter 2014", french: "hiver 2014"),
    DisplayCase(input: "2014~", english: "c. 2014", french: "vers 2014"),
    DisplayCase(input: "2013?", english: "2013?", french: "2013?"),
    DisplayCase(input: "2013-09?", english: "September 2013?", french: "septembre 2013?"),
    DisplayCase(input: "2014%", english: "c. 2014?", french: "vers 2014?"),
    DisplayCase(input: "1994-08-24~", english: "c. 24 August 1994", french: "vers le 24 août 1994"),
    DisplayCase(input: "198X~", english: "c. 1980s", french: "vers les années 1980"),
    DisplayCase(input: "-0050", english: "51 BC", french: "51 av. J.-C."),
    DisplayCase(input: "2014-04/2015-09", english: "April 2014 – September 2015", french: "avril 2014 – septembre 2015"),
    DisplayCase(input: "2014~/2015-09?", english: "c. 2014 – September 2015?", french: "vers 2014 – septembre 2015?"),
    DisplayCase(input: "../2015-09", english: "until September 2015", french: "jusqu'en septembre 2015"),
    DisplayCase(input: "../1994-08-01", english: "until 1 August 1994", french: "jusqu'au 1er août 1994"),
    DisplayCase(input: "../198X", english: "until the 1980s", french: "jusqu'aux années 1980"),
    DisplayCase(input: "../19XX", english: "until the 1900s", french: "jusqu'au XXe siècle"),
    DisplayCase(input: "../2014-22", english: "until summer 2014", french: "jusqu'à l'été 2014"),
    DisplayCase(input: "../2014-21", english: "until spring 2014", french: "jusqu'au printemps 2014"),
    DisplayCase(input: "../2014~", english: "until c. 2014", french: "jusque vers 2014"),
    DisplayCase(input: "2014/..", english: "from 2014", french: "depuis 2014"),
    DisplayCase(input: "1994-08-24/..", english: "from 24 August 1994", french: "depuis le 24 août 1994"),
    DisplayCase(input: "198X/..", english: "from the 1980s", french: "depuis les années 1980"),
    DisplayCase(input: "2014-21/..", english: "from spring 2014", french: "depuis le printemps 2014"),
    DisplayCase(input: "2014~/..", english: "from c. 2014", french: "depuis environ 2014"),
    DisplayCase(input: "2014?/..", english: "from 2014?", french: "depuis 2014?"),
    DisplayCase(input: "2014/", english: "2014 – ?", french: "2014 – ?"),
    DisplayCase(input: "/2015", english: "? – 2015", french: "? – 2015"),
])
func displaysInEnglishAndFrench(_ display: DisplayCase) throws {
    let date = try #require(parsed(display.input))
    #expect(date.display(language: "en") == display.english)
    #expect(date.display(language: "fr") == display.french)
}

@Test func intervalOfMonthsDisplaysBothEnds() throws {
    let date = try #require(parsed("2014-04/2015-09"))
    #expect(date.display(language: "en") == "April 2014 – September 2015")
}

@Test func unknownLanguagesFallBackToEnglish() throws {
    let date = try #require(parsed("2014-04"))
    #expect(date.display(language: "de") == "April 2014")
    #expect(date.display(language: "fr-CA") == "avril 2014")
}

// MARK: - Ordering

@Test func mixedFormsSortByEarliestDayThenCoarserPrecisionThenText() {
    let expected = ["19XX", "198X", "1980", "1980-01", "1980-01-01", "../1980-06", "2013-09?",
                    "2014", "2014-XX", "2014/..", "2014~", "2014-21", "2014-04", "2014-04-XX",
                    "2014-04-12", "/2015", "2015-24"]
    let shuffled = ["2014-04-12", "2014/..", "198X", "2015-24", "2014~", "1980-01", "/2015", "2014-21",
                    "19XX", "2014-XX", "../1980-06", "1980", "2014-04-XX", "2013-09?", "1980-01-01",
                    "2014", "2014-04"]
    #expect(Set(shuffled) == Set(expected))
    let sorted = shuffled.compactMap { parsed($0) }.sorted { $0.sortKey < $1.sortKey }.map(\.text)
    #expect(sorted == expected)
}

@Test func precisionIsOrderedCoarsestFirst() {
    #expect(DatePrecision.century < .decade)
    #expect(DatePrecision.decade < .year)
    #expect(DatePrecision.year < .season)
    #expect(DatePrecision.season < .month)
    #expect(DatePrecision.month < .day)
}
