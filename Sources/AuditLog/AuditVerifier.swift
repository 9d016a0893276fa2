import IntakeCore

/// The outcome of walking the decision chain.
public struct AuditReport: Sendable, Equatable {
    /// Rows examined.
    public var checked: Int
    /// The sequence number of the first row that does not verify (edited, reordered, or
    /// following a deleted row), or nil when every row verifies.
    public var firstBadSeq: Int64?
    /// True when every row verifies.
    public var ok: Bool { firstBadSeq == nil }
    /// The MAC of the last row examined (the chain head), nil for an empty log.
    public var headMAC: String?

    /// Creates a report.
    public init(checked: Int = 0, firstBadSeq: Int64? = nil, headMAC: String? = nil) {
        self.checked = checked; self.firstBadSeq = firstBadSeq; self.headMAC = headMAC
    }
}

/// Verifies rows one at a time, in ascending `seq` order, without holding them all in memory.
public struct AuditVerifier: Sendable {
    private let hmac: Digest.HMACSHA256
    private var expectedPrev = AuditChain.genesis
    private var lastSeq: Int64?
    /// What has been found so far.
    public private(set) var report = AuditReport()

    /// A verifier for a chain made under `key`.
    public init(key: [UInt8]) { hmac = Digest.HMACSHA256(key: key) }

    /// Checks the next row. A row is bad when its stored `prevMAC` is not the previous row's
    /// MAC (a deleted or reordered row), its `seq` does not follow the previous one, or its
    /// MAC does not match its contents (an edited row). Returns whether the row verified.
    @discardableResult
    public mutating func check(fields: AuditFields, prevMAC: String, mac: String) -> Bool {
        let seqFollows = lastSeq.map { fields.seq == $0 + 1 } ?? true
        let expected = AuditChain.mac(hmac, prev: prevMAC, fields: fields)
        let good = seqFollows && prevMAC == expectedPrev
            && Digest.constantTimeEqual(Array(expected.utf8), Array(mac.utf8))
        report.checked += 1
        report.headMAC = mac
        if !good && report.firstBadSeq == nil { report.firstBadSeq = fields.seq }
        // Continue from the stored MAC so one bad row is reported once, not as a cascade.
        expectedPrev = mac
        lastSeq = fields.seq
        return good
    }
}
