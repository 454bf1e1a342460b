// libFuzzer target: the EDTF parser must never crash; whatever it accepts must display,
// sort, and parse again to the same value from its own text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let date = try EDTFDate.parse(text)
        precondition(!date.display(language: "en").isEmpty && !date.display(language: "fr").isEmpty)
        _ = date.sortKey
        precondition((try? EDTFDate.parse(date.text)) == date)
    } catch {
        precondition(error.offset >= 0 && error.offset <= text.count)
    }
    return 0
}
