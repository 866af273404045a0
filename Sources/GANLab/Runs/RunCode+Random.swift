extension RunCode {
    /// A fresh code drawn from the OS CSPRNG, so codes cannot be guessed from one another (the registry
    /// checks it is unused). With a `prefix` (one letter of the alphabet) every code starts with it: several
    /// servers behind one proxy route by it (docs/scaling.md).
    public static func random(prefix: Character? = nil) -> RunCode {
        let head = prefix.map { String($0).uppercased() } ?? ""
        let text = head + String((0..<(length - head.count)).map { _ in alphabet[SecureRandom.index(below: alphabet.count)] })
        return RunCode(text)!
    }
}
