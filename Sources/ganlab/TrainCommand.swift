import ArgumentParser
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train")
}
