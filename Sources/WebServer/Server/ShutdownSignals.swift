import Foundation
import Glibc

/// The write end of the self-pipe: a C signal handler may only touch globals and async-signal-safe calls.
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// Calls a handler (on its own thread) when SIGINT or SIGTERM arrives, for graceful shutdown (one instance per process).
///
/// The classic self-pipe: the signal handler only `write(2)`s the signal number to a pipe (async-signal-safe),
/// and a thread blocked in `read(2)` on the other end runs the handler like ordinary code. Chosen over a
/// Dispatch signal source, whose lazily created signalfd can leave the default action (death) in place when
/// the process is out of descriptors.
public final class ShutdownSignals: @unchecked Sendable {
    private let readFD: Int32
    private let signals: [Int32]

    /// Installs the handler for `signals`; `handler` gets the signal number, once per delivery.
    public init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) throws(SocketError) {
        // A launcher may have blocked these signals (Foundation's `Process` does, and the mask is inherited):
        // unblock them in this thread, and so in every thread started after it, or SIGTERM would never arrive.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for number in signals { sigaddset(&unblocked, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .system(call: "pipe", errno: errno) }
        readFD = fds[0]
        signalPipeWriteFD = fds[1]
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)   // never block inside a signal handler
        self.signals = signals
        let reader = readFD
        let thread = Thread {
            var number: Int32 = 0
            while true {
                let n = read(reader, &number, 4)
                if n == 4 { handler(number); continue }
                if n < 0 && errno == EINTR { continue }
                close(reader)   // write end closed by cancel()
                return
            }
        }
        thread.name = "ganlab-signals"
        thread.start()
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var value = number
                _ = write(signalPipeWriteFD, &value, 4)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Restores the default actions and stops the reader thread.
    public func cancel() {
        for number in signals { signal(number, SIG_DFL) }
        let writeFD = signalPipeWriteFD
        signalPipeWriteFD = -1
        close(writeFD)
    }
}
