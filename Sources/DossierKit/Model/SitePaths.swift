/// Where pages live in `Site/`. Every link Dossier writes is relative to the page it is
/// on, so the site works at a domain root, under a sub-path and from `file://`.
public enum SitePaths {
    public static let home = "index.html"
    public static let timeline = "timeline/index.html"

    public static func page(of entry: Entry) -> String { entry.pagePath }

    public static func page(type: EntryType, id: String) -> String {
        // Put together byte by byte: made for every entry as it is read or decoded, and an
        // interpolation cost 2,000 instructions.
        let (folder, name, file) = (type.folder.utf8, id.utf8, "/index.html".utf8)
        return String(unsafeUninitializedCapacity: folder.count + 1 + name.count + file.count) { buffer in
            var end = buffer.initialize(fromContentsOf: folder)
            buffer[end] = UInt8(ascii: "/")
            end += 1
            end = buffer[end...].initialize(fromContentsOf: name)
            return buffer[end...].initialize(fromContentsOf: file)
        }
    }

    public static func index(of type: EntryType) -> String { "\(type.folder)/index.html" }

    /// `../` once per folder between the page and the site root.
    public static func rootPrefix(forPath path: String) -> String {
        // Counted on the text's own bytes in place (`withUTF8` would need a copy of it to
        // mutate; a walk of its UTF8View was 0.7 % of a build).
        let slash = UInt8(ascii: "/")
        let depth = path.utf8.withContiguousStorageIfAvailable { $0.count { $0 == slash } } ?? path.utf8.count { $0 == slash }
        // Every link on every page asks; the site is three levels deep. Literals, which
        // cost no reference count to hand out (an element of a table did).
        switch depth {
        case 0: return ""
        case 1: return "../"
        case 2: return "../../"
        default: return String(repeating: "../", count: depth)
        }
    }

    public static func rootPrefix(forPageOf entry: Entry) -> String { "../../" }
}
