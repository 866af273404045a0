extension RunCode {
    /// A fresh code drawn from the OS CSPRNG, so codes cannot be guessed from one another (the registry
    /// checks it is unused).
    /// With `prefix`, the code starts with it (`ganlab serve --code-prefix`: nginx routes a run to its instance by it).
    public static func random(prefix: Character? = nil) -> RunCode {
        let drawn = String((0..<length).map { _ in alphabet[SecureRandom.index(below: alphabet.count)] })
        let text = prefix.map { String($0) + drawn.dropFirst() } ?? drawn
        return RunCode(text)!
    }
}
