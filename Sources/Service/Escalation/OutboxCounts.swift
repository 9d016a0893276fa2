import Store

/// The store's outbox counts under a name that does not clash with `Handoff.OutboxStats`
/// (this file imports only Store, so `OutboxStats` here is the store's).
typealias OutboxCounts = OutboxStats
