import Glibc

extension SocketAddress {
    /// True for 0.0.0.0 and :: (every interface).
    public var isWildcard: Bool {
        switch self {
        case .ipv4(let a): return a.sin_addr.s_addr == 0
        case .ipv6(var a):
            return withUnsafeBytes(of: &a.sin6_addr) { $0.allSatisfy { $0 == 0 } }
        }
    }

    /// The host names a browser may use for a server bound here (for `HostPolicy`): the bound address itself,
    /// and for a wildcard address every address of this machine's interfaces (`getifaddrs(3)`) plus its host
    /// name with and without ".local" (mDNS), so `http://teacher-laptop.local:8080` works in a classroom.
    public func namesOfThisServer() -> [String] {
        guard isWildcard else { return [host] }
        var names = Self.interfaceAddresses()
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count - 1) == 0 {
            let name = String(cString: buffer)
            if !name.isEmpty {
                names.append(name)
                if !name.hasSuffix(".local") { names.append(name + ".local") }
            }
        }
        return names
    }

    /// The numeric addresses of every interface that is up (IPv4 and IPv6).
    static func interfaceAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        var result: [String] = []
        var cursor = list
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var raw = v4.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
                }
            case AF_INET6:
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var raw = v6.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
                }
            default:
                continue
            }
            result.append(String(cString: buffer))
        }
        return result
    }
}
