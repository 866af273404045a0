/// The lab's persistence seam (`Runs/RunArchive.swift`), implemented by the data directory.
extension FileRunArchive: RunArchive {}
