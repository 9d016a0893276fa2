import Foundation
import Handoff
import HTTPServer

/// The staff endpoints of the escalation queue (scope `staff`).
struct EscalationEndpoints {
    let app: App

    var all: [Endpoint] {
        [
            Endpoint("GET", "/v1/escalations", scope: .staff) { [app] ctx, r in app.listEscalations(ctx, r) },
            Endpoint("GET", "/v1/escalations/{id}", scope: .staff) { [app] ctx, r in app.getEscalation(ctx, r) },
            Endpoint("POST", "/v1/escalations/{id}/claim", scope: .staff, body: Endpoints.json) { [app] ctx, r in
                app.transitionEscalation(ctx, r, "claim")
            },
            Endpoint("POST", "/v1/escalations/{id}/release", scope: .staff, body: Endpoints.json) { [app] ctx, r in
                app.transitionEscalation(ctx, r, "release")
            },
            Endpoint("POST", "/v1/escalations/{id}/resolve", scope: .staff, body: Endpoints.json) { [app] ctx, r in
                app.transitionEscalation(ctx, r, "resolve")
            },
        ]
    }
}

extension App {
    var escalationDesk: EscalationDesk { EscalationDesk(store: store, clock: clock, webhooks: config.webhook != nil) }

    func listEscalations(_ ctx: RequestContext, _ r: HTTPResponder) {
        let q = ctx.query
        var status: EscalationStatus?
        if let text = q["status"] {
            guard let s = EscalationStatus(rawValue: text) else {
                return r.fail(.invalid("'status' must be open, claimed or resolved", field: "status"))
            }
            status = s
        }
        var limit = 100
        if let text = q["limit"] {
            guard let n = Int(text), (1...1000).contains(n) else {
                return r.fail(.invalid("'limit' must be a whole number from 1 to 1000", field: "limit"))
            }
            limit = n
        }
        do {
            r.ok(JSON.bytes(["escalations": try escalationDesk.list(status: status, queue: q["queue"], limit: limit)]))
        } catch {
            r.fail(.unavailable)
        }
    }

    func getEscalation(_ ctx: RequestContext, _ r: HTTPResponder) {
        do {
            guard let id = ctx.params["id"], let packet = try escalationDesk.packet(id: id) else { return r.fail(.notFound) }
            r.ok(JSON.bytes(packet))
        } catch {
            r.fail(.unavailable)
        }
    }

    /// Claim (`{"assignee", "note"?}`), release (`{"actor"?, "note"?}`) or resolve
    /// (`{"outcome", "note"?, "actor"?}`); the actor defaults to the API key's name.
    func transitionEscalation(_ ctx: RequestContext, _ r: HTTPResponder, _ kind: String) {
        guard let id = ctx.params["id"] else { return r.fail(.notFound) }
        let event: EscalationDesk.Event
        do throws(APIError) {
            let body = try JSONObject.parse(ctx.request.body)
            let note = try body.string("note", maxLength: 2000)
            let actor = try body.string("actor", maxLength: 128) ?? ctx.key?.name ?? "staff"
            switch kind {
            case "claim":
                let who = try body.requiredString("assignee", maxLength: 128)
                guard !who.isEmpty else { throw .invalid("'assignee' must not be empty", field: "assignee") }
                event = .claim(assignee: who, note: note)
            case "release": event = .release(actor: actor, note: note)
            default:
                let outcome = try body.requiredString("outcome", maxLength: 128)
                guard !outcome.isEmpty else { throw .invalid("'outcome' must not be empty", field: "outcome") }
                event = .resolve(actor: try body.string("assignee", maxLength: 128) ?? actor, outcome: outcome, note: note)
            }
        } catch {
            return r.fail(error)
        }
        escalationDesk.transition(id: id, event) { result in
            switch result {
            case .success(let summary): r.ok(JSON.bytes(summary))
            case .failure(let error): r.fail(error)
            }
        }
    }
}
