extension StringProtocol {
    /// The text without leading/trailing spaces and tabs (HTTP OWS, RFC 9110 §5.6.3).
    func trimmingWhitespace() -> Substring {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
