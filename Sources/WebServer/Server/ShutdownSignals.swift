import Dispatch
import Glibc

/// Calls a handler once on SIGINT or SIGTERM (graceful shutdown), through Dispatch signal sources so the
/// handler runs on an ordinary queue, not inside a signal handler.
public final class ShutdownSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// Installs the sources; the default disposition is ignored so the process does not die first.
    public init(signals: [Int32] = [SIGINT, SIGTERM], queue: DispatchQueue = .global(), handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops observing.
    public func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
