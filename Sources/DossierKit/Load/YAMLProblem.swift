import Yams

/// What went wrong in a YAML text, and where (libyaml's 1-based line, scalar column),
/// plus the construct it was reading when it failed (e.g. "while scanning a quoted scalar").
struct YAMLProblem {
    var message: String
    var mark: Mark?
    var context: (text: String, mark: Mark)?

    init(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            message = problem
            self.mark = mark
            // Only worth a note when it points somewhere else than the problem.
            if let context, context.mark.line != mark.line || context.mark.column != mark.column {
                // "while scanning a quoted scalar" → "the quoted scalar"
                var words = context.text.split(separator: " ").map(String.init)
                words.removeAll { ["while", "scanning", "parsing", "a", "an"].contains($0) }
                self.context = ("the " + words.joined(separator: " "), context.mark)
            }
        case .reader(let problem, _, _, _):
            message = problem
        default:
            message = "\(error)"
        }
    }
}

/// Turns libyaml's positions into file positions. libyaml counts lines with YAML's line
/// breaks (also NEL, LS and PS) and columns in Unicode scalars; editors count lines at
/// `\n` and columns in characters.
///
/// Kept as the text's UTF-8 bytes with the byte offsets of its line starts: every note
/// makes one, and an array of the text's scalars (the first way) was 2 % of a build's
/// instructions; a position asked for walks only the scalars of its own line.
struct YAMLPositions {
    private let bytes: [UInt8]
    /// Byte offset where each YAML line starts.
    private let yamlLineStarts: [Int]
    /// Byte offset of each "\n" (a file line break).
    private let newlines: [Int]
    private let firstLine: Int

    init(yaml: String, firstLine: Int) {
        bytes = Array(yaml.utf8)
        var starts = [0]
        var newlines: [Int] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x0A:
                newlines.append(index - 1)
                starts.append(index)
            case 0x0D:
                if index < bytes.count, bytes[index] == 0x0A {
                    newlines.append(index)
                    index += 1
                }
                starts.append(index)
            case 0xC2 where index < bytes.count && bytes[index] == 0x85:  // NEL
                index += 1
                starts.append(index)
            case 0xE2 where index + 1 < bytes.count && bytes[index] == 0x80 && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):  // LS, PS
                index += 2
                starts.append(index)
            default:
                break
            }
        }
        yamlLineStarts = starts
        self.newlines = newlines
        self.firstLine = firstLine
    }

    /// File line and character column of a libyaml mark (1-based both).
    func location(line: Int, column: Int) -> (line: Int, column: Int) {
        // Past the last line is the end of the front-matter: the closing `---`, one file
        // line after the last (YAML may count more lines: NEL, LS and PS break its lines).
        if line > yamlLineStarts.count { return (firstLine + newlines.count + 1, 1) }
        // The mark's column counts scalars from its YAML line's start: skip that many
        // (a scalar is a byte that does not continue another's UTF-8 sequence).
        var offset = yamlLineStarts[max(line - 1, 0)]
        var scalars = max(column - 1, 0)
        while scalars > 0, offset < bytes.count {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            scalars -= 1
        }
        // File lines are counted by "\n" alone: the line breaks before `offset`, found by
        // binary search (every key and list item asks, so no scan from the start).
        var low = 0, high = newlines.count
        while low < high {
            let middle = (low + high) / 2
            if newlines[middle] < offset { low = middle + 1 } else { high = middle }
        }
        let lineStart = low == 0 ? 0 : newlines[low - 1] + 1
        let prefix = bytes[lineStart..<offset]
        // Below U+0300 (no combining marks: one or two bytes, a lead byte below 0xCC) and
        // without CR, every scalar is a character.
        if prefix.allSatisfy({ $0 < 0xCC && $0 != 0x0D }) { return (firstLine + low, prefix.count { $0 & 0xC0 != 0x80 } + 1) }
        return (firstLine + low, String(decoding: prefix, as: UTF8.self).count + 1)
    }
}
