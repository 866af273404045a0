/// The lab's persistence seam (`Runs/RunArchive.swift`), implemented by the data directory.
extension FileRunArchive: RunArchive {
    /// The data directory logs each failed save once (with the file, the step and the reason) and lists it in
    /// `problems`, so the lab does neither again.
    public var reportsItsFailures: Bool { true }
}
