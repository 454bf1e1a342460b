// libFuzzer target: the front-matter splitter must never crash, and what it returns
// must put the file back together line for line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let split = try? FrontMatter.split(text) else { return 0 }
    // Lines as the splitter counts them: at LF bytes (a CR before it is not a break of its own;
    // the loader turns CRLF into LF before splitting).
    let lines = text.utf8.split(separator: 10, omittingEmptySubsequences: false)
    let bodyLines = split.body.utf8.split(separator: 10, omittingEmptySubsequences: false)
    precondition(split.bodyFirstLine >= 1 && split.bodyFirstLine <= lines.count + 1)
    if split.yaml == nil {
        precondition(split.body == text && split.bodyFirstLine == 1)
    } else {
        precondition(lines.count - (split.bodyFirstLine - 1) == bodyLines.count || split.body.isEmpty)
    }
    return 0
}
