import HTTPServer
import XCTest

final class LineSplitterTests: XCTestCase {
    private func text(_ lines: [LineSplitter.Line]) -> [String] {
        lines.map { if case .line(let l) = $0 { return String(decoding: l, as: UTF8.self) } else { return "<too long>" } }
    }

    func testSplitsAcrossChunksAndStripsCR() {
        var splitter = LineSplitter(maxLineBytes: 100)
        XCTAssertEqual(text(splitter.feed(Array("ab".utf8))), [])
        XCTAssertEqual(text(splitter.feed(Array("c\r\nde\n\nf".utf8))), ["abc", "de", ""])
        XCTAssertEqual(text(splitter.feed(Array("g\r".utf8))), [])
        XCTAssertEqual(text(splitter.feed(Array("\n".utf8))), ["fg"])
        XCTAssertNil(splitter.finish())
    }

    func testUnterminatedLastLineComesFromFinish() {
        var splitter = LineSplitter(maxLineBytes: 100)
        XCTAssertEqual(text(splitter.feed(Array("x\ny".utf8))), ["x"])
        XCTAssertEqual(splitter.finish(), .line(Array("y".utf8)))
        XCTAssertNil(splitter.finish())
    }

    func testLongLineIsReportedOnceAndSkipped() {
        var splitter = LineSplitter(maxLineBytes: 4)
        XCTAssertEqual(text(splitter.feed(Array("1234\n12".utf8))), ["1234"])
        XCTAssertEqual(text(splitter.feed(Array("3456".utf8))), ["<too long>"], "reported once known, before the newline")
        XCTAssertEqual(text(splitter.feed(Array("78\nok\n".utf8))), ["ok"])
        XCTAssertEqual(text(splitter.feed(Array("12345\n".utf8))), ["<too long>"])
        XCTAssertEqual(text(splitter.feed(Array("1234\r\n".utf8))), ["1234"], "the CR does not count")
    }
}
