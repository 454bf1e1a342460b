import ArgumentParser
import DossierKit
import Foundation

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a note with the front-matter skeleton of its type; prints its path.",
        discussion: """
            The id is the title's slug (accents folded: "Ismaël Omar Mostefaï" → ismael-omar-mostefai) and the \
            file goes to the type's folder (people/, organizations/, places/, events/, sources/, notes/). An \
            existing file or id is never overwritten (exit status 1).
            """)

    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case person, organization, place, event, source, note

        init?(argument: String) {
            let word = argument.lowercased()
            if let kind = Kind(rawValue: word) { self = kind; return }
            // The folder names and the British spelling are accepted too.
            let aliases: [String: Kind] = ["people": .person, "organisation": .organization, "organizations": .organization,
                                           "organisations": .organization, "places": .place, "events": .event,
                                           "sources": .source, "notes": .note]
            guard let kind = aliases[word] else { return nil }
            self = kind
        }

        var entryType: EntryType { EntryType(rawValue: rawValue)! }
    }

    @Argument(help: "person, organization, place, event, source or note.")
    var type: Kind
    @Argument(help: "Title (or name) of the new note; its id is made from it.")
    var title: String
    @OptionGroup var folders: Folders

    func run() throws {
        let options = BuildOptions(content: folders.content)
        do {
            let created = try NewEntry.create(type.entryType, title: title, content: options.content, contentDisplay: options.contentDisplay)
            print(created.displayPath)
        } catch {
            Report.printError("dossier: error: \(error.description)")
            throw ExitCode(error.isContentProblem ? 1 : 2)
        }
    }
}
