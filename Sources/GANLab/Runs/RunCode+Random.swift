extension RunCode {
    /// A fresh code drawn from the OS CSPRNG, so codes cannot be guessed from one another (the registry
    /// checks it is unused).
    public static func random() -> RunCode {
        let text = String((0..<length).map { _ in alphabet[SecureRandom.index(below: alphabet.count)] })
        return RunCode(text)!
    }
}
