import WebServer

/// One connection watching a run, as the run sees it: where its messages go. The lab's peers are WebSocket
/// connections; tests may use recorders.
public protocol RunPeer: AnyObject, Sendable {
    /// The server's id for the connection (frames fan out by id).
    var connectionID: ConnectionID { get }
    /// Sends a JSON text message (queued in order, never dropped).
    func send(text: String)
    /// Starts the close handshake.
    func close(code: WebSocketCloseCode, reason: String)
}

/// Hands one encoded frame to many peers: the same bytes to each, newest-frame-wins per peer.
public protocol FrameFanOut: Sendable {
    /// Sends the binary message `payload` to every peer in `peers`.
    func send(frame payload: [UInt8], to peers: [RunPeer])
}

/// What a connection may do on a run.
public enum RunRole: String, Sendable, Equatable {
    /// Watches, subscribes, forks.
    case viewer
    /// Sent the token: may send every command.
    case controller
}

/// A run's view of one watching connection.
struct Subscriber {
    /// Where its messages go.
    let peer: RunPeer
    /// Viewer or controller.
    var role: RunRole
    /// Frames per second it asked for.
    var framesPerSecond: Int
    /// Layers it asked for.
    var layers: FrameLayers
    /// Accumulated share of the run's frames (it gets a frame when this reaches 1).
    var credit: Double = 1
}
