import ArgumentParser

/// The `ganlab` command line: subcommands only (the lead merges this with the engine's train/bench).
@main
struct GANLabCommand: ParsableCommand {
    /// Name, abstract and subcommands.
    static let configuration = CommandConfiguration(
        commandName: "ganlab",
        abstract: "An interactive 2D GAN laboratory served to your browser.",
        subcommands: [ServeCommand.self]
    )
}
