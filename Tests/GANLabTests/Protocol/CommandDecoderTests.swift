import Testing
import GANEngine
import GANLab

@Suite struct CommandDecoderTests {
    let decoder = CommandDecoder(configuration: LabConfiguration())

    private func decode(_ text: String) throws(CommandDecoder.Refusal) -> Command { try decoder.decode(text).command }

    private func refusal(_ text: String) -> CommandDecoder.Refusal? {
        do { _ = try decoder.decode(text); return nil } catch { return error }
    }

    @Test func everyCommand_decodesWithItsDefaults() throws {
        #expect(try decode(#"{"type":"play"}"#) == .play)
        #expect(try decode(#"{"type":"step"}"#) == .step(.epoch, count: 1))
        #expect(try decode(#"{"type":"step","what":"d","count":10000}"#) == .step(.discriminator, count: 10_000))
        #expect(try decode(#"{"type":"subscribe"}"#) == .subscribe(fps: 30, layers: .defaultLayers))
        #expect(try decode(#"{"type":"subscribe","fps":1,"layers":["manifold","predictions"]}"#) == .subscribe(fps: 1, layers: [.manifold, .predictions]))
        #expect(try decode(#"{"type":"speed","epochsPerSecond":"max"}"#) == .speed(.max))
        #expect(try decode(#"{"type":"speed","epochsPerSecond":250}"#) == .speed(.epochsPerSecond(250)))
        #expect(try decode(#"{"type":"slowmo","on":true}"#) == .slowMotion(isOn: true, secondsPerStep: 1.5))
        #expect(try decode(#"{"type":"seed","seed":9007199254740991}"#) == .seed(9_007_199_254_740_991))
        #expect(try decode(#"{"type":"data","preset":"ring"}"#) == .data(.preset(.ring), defaults: .profile(.lab)))
        #expect(try decode(#"{"type":"data","preset":"ring","defaults":"keep"}"#) == .data(.preset(.ring), defaults: .keep))
        #expect(try decode(#"{"type":"data","points":[[0,0],[0.5,-0.5]],"weights":[1,3],"jitter":0}"#)
                == .data(.points(coordinates: [0, 0, 0.5, -0.5], weights: [1, 3], jitter: 0), defaults: .keep))
        #expect(try decode(#"{"type":"configure","config":{"generator.neurons":16,"loss":"hinge","generator.learningRate":1}}"#)
                == .configure(["generator.neurons": .integer(16), "loss": .choice("hinge"), "generator.learningRate": .number(1)]))
    }

    @Test func ids_areEchoed_andOnlyNumbersOrStringsAllowed() throws {
        #expect(try decoder.decode(#"{"type":"play","id":"a-1"}"#).id == .string("a-1"))
        #expect(try decoder.decode(#"{"type":"play","id":3}"#).id == 3)
        #expect(refusal(#"{"type":"play","id":{}}"#)?.error.code == "bad-field")
        #expect(refusal(#"{"type":"nope","id":5}"#)?.id == 5, "the id is echoed even for an unknown type")
    }

    @Test(arguments: [
        ("{", "bad-json"), ("42", "bad-json"), (#"{"type":3}"#, "unknown-type"), (#"{}"#, "unknown-type"),
        (#"{"type":"Play"}"#, "unknown-type"), (#"{"type":"play","now":true}"#, "bad-field"),
        (#"{"type":"auth"}"#, "bad-field"), (#"{"type":"auth","token":5}"#, "bad-field"),
        (#"{"type":"step","what":"x"}"#, "bad-field"), (#"{"type":"step","count":0}"#, "out-of-range"),
        (#"{"type":"step","count":10001}"#, "out-of-range"), (#"{"type":"step","count":1.5}"#, "bad-field"),
        (#"{"type":"step","count":1e400}"#, "not-finite"), (#"{"type":"subscribe","fps":0}"#, "out-of-range"),
        (#"{"type":"subscribe","layers":"fakes"}"#, "bad-field"), (#"{"type":"configure"}"#, "bad-field"),
        (#"{"type":"configure","config":[]}"#, "bad-field"), (#"{"type":"configure","config":{"x":1}}"#, "bad-field"),
        (#"{"type":"configure","config":{"generator.neurons":"8"}}"#, "bad-field"),
        (#"{"type":"configure","config":{"generator.neurons":8.5}}"#, "bad-field"),
        (#"{"type":"configure","config":{"generator.neurons":300}}"#, "out-of-range"),
        (#"{"type":"configure","config":{"generator.neurons":1e20}}"#, "out-of-range"),
        (#"{"type":"configure","config":{"generator.learningRate":-1e400}}"#, "not-finite"),
        (#"{"type":"configure","config":{"generator.optimizer":"lion"}}"#, "bad-field"),
        (#"{"type":"data"}"#, "bad-field"), (#"{"type":"data","preset":"donut"}"#, "bad-field"),
        (#"{"type":"data","preset":"ring","points":[[0,0]]}"#, "bad-field"), (#"{"type":"data","points":[]}"#, "out-of-range"),
        (#"{"type":"data","points":[[0,0,0]]}"#, "bad-field"), (#"{"type":"data","points":[[0,1e400]]}"#, "not-finite"),
        (#"{"type":"data","points":[[0,0]],"weights":[-1]}"#, "out-of-range"), (#"{"type":"data","points":[[0,0]],"weights":[1,1]}"#, "bad-field"),
        (#"{"type":"data","points":[[0,0]],"weights":[0]}"#, "out-of-range"), (#"{"type":"seed","seed":9007199254740992}"#, "out-of-range"),
        (#"{"type":"speed","epochsPerSecond":"fast"}"#, "bad-field"), (#"{"type":"speed","epochsPerSecond":100001}"#, "out-of-range"),
        (#"{"type":"slowmo"}"#, "bad-field"), (#"{"type":"slowmo","on":true,"secondsPerStep":0.1}"#, "out-of-range"),
    ])
    func badCommands_areRefusedWithTheirCode(_ text: String, _ code: String) {
        let r = refusal(text)
        #expect(r?.error.code == code, "\(text): \(String(describing: r?.error))")
    }

    @Test func outOfRange_namesTheFieldAndTheRange() throws {
        let r = try #require(refusal(#"{"type":"configure","config":{"generator.learningRate":20}}"#))
        #expect(r.error.field == "generator.learningRate")
        #expect(r.error.message == "generator.learningRate 20 is out of range: allowed 1e-06…10", "\(r.error.message)")
        let reply = r.reply
        #expect(reply["command"] == "configure" && reply["code"] == "out-of-range" && reply["field"] == "generator.learningRate")
    }

    @Test(arguments: [
        (#"{"type":"configure","config":{"generator.neurons":1e20}}"#, "generator.neurons 1e+20 is out of range: allowed 1…256"),
        (#"{"type":"configure","config":{"generator.neurons":9007199254740992}}"#,
         "generator.neurons 9007199254740992 is out of range: allowed 1…256"),
        (#"{"type":"configure","config":{"batchSize":-3000000000}}"#, "batchSize -3000000000 is out of range: allowed 1…4096"),
        (#"{"type":"seed","seed":9007199254740992}"#, "seed 9007199254740992 is out of range: allowed 0…9007199254740991"),
    ])
    func hugeIntegers_areRefusedWithTheSettingsOwnRange_inDigits(_ text: String, _ message: String) throws {
        let r = try #require(refusal(text))
        #expect(r.error.code == "out-of-range")
        #expect(r.error.message == message)
    }

    @Test(arguments: [
        (#"{"type":"pause","id":7}"#, JSON.number(7)), (#"{ "type" : "pause" , "id" : "a-1" }"#, JSON.string("a-1")),
        (#"{"type":"data","points":[[0,{"id":1}],"}"],"note":"\"id\":2","id":-3.5e1}"#, JSON.number(-35)),
        (#"{"config":{"id":4},"type":"configure"}"#, nil), (#"{"type":"pause"}"#, nil), (#"{"id":"es\"caped"}"#, nil),
        (#"{"id":{"x":1}}"#, nil), ("not json", nil), (#"{"type":"pause","id""#, nil), ("", nil),
    ] as [(String, JSON?)])
    func commandIDScanner_findsOnlyTheTopLevelID(_ text: String, _ id: JSON?) {
        #expect(CommandIDScanner.id(in: text) == id, "\(text)")
    }

    @Test func tooManyPoints_isItsOwnCode() {
        let points = Array(repeating: "[0,0]", count: 20_001).joined(separator: ",")
        #expect(refusal(#"{"type":"data","points":["# + points + "]}")?.error.code == "too-many-points")
    }

    @Test func controlNeeds_isTrueExceptForAuthSubscribeAndFork() throws {
        for text in [#"{"type":"auth","token":"x"}"#, #"{"type":"subscribe"}"#, #"{"type":"fork"}"#] {
            #expect(try !decode(text).needsControl)
        }
        for text in [#"{"type":"play"}"#, #"{"type":"pause"}"#, #"{"type":"reset"}"#, #"{"type":"step"}"#] {
            #expect(try decode(text).needsControl)
        }
    }
}
