import WebServer

/// The page's own URLs (docs/protocol.md §1): `/r/{code}` opens a run and `/s/{blob}` a share link; both serve
/// `index.html`, which reads the path. `/` is the static file handler's.
enum PageRoutes {
    /// Adds the routes when there is a public folder.
    static func install(on router: inout Router, publicDirectory: String?) {
        guard let publicDirectory, let files = StaticFileHandler(root: publicDirectory) else { return }
        let page: RouteHandler = { request, _ in
            var rewritten = request
            rewritten.path = "/index.html"
            rewritten.target = "/index.html"
            rewritten.query = nil
            return files.respond(to: rewritten)
        }
        router.get("/r/:code", page)
        router.get("/s/:blob", page)
    }
}
