import Foundation
import HTTPServer
import IntakeCore
import Store

/// The endpoint table of the API.
struct Endpoints {
    let app: App

    static let json: Set<String> = ["application/json"]
    static let ndjson: Set<String> = ["application/x-ndjson", "application/jsonl", "application/json-seq"]
    static let form: Set<String> = ["application/x-www-form-urlencoded"]

    var all: [Endpoint] {
        var list = [
            Endpoint("GET", "/healthz", scope: nil) { _, r in r.ok(JSON.bytes(["status": "ok"])) },
            Endpoint("GET", "/metrics", scope: nil) { [app] _, r in
                r.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")],
                                       body: Array(app.metrics.render().utf8)))
            },
            Endpoint("POST", "/v1/messages", scope: .ingest, body: Self.json) { [app] ctx, r in app.postMessage(ctx, r) },
            Endpoint("GET", "/v1/decisions", scope: .audit) { [app] ctx, r in app.listDecisions(ctx, r) },
            Endpoint("GET", "/v1/conversations/{id}", scope: .staff) { [app] ctx, r in app.getConversation(ctx, r) },
            Endpoint("POST", "/v1/admin/reload", scope: .admin) { [app] _, r in app.reload(r) },
            Endpoint("POST", "/v1/calls/{call_id}/segments", scope: .ingest, body: Self.json) { [app] ctx, r in app.postSegment(ctx, r) },
            Endpoint("POST", "/v1/calls/{call_id}/transcript", scope: .ingest, body: Self.ndjson) { _, r in r.fail(.notFound) }
                .streaming { [app] params in app.transcriptSink(callID: params["call_id"] ?? "") },
            Endpoint("GET", "/v1/calls/{call_id}/events", scope: .ingest) { [app] ctx, r in app.streamEvents(ctx, r) },
            // With a Twilio auth token the request signature authenticates Twilio; without one, a bearer token must.
            Endpoint("POST", App.twilioPath, scope: app.twilioAuthToken == nil ? .ingest : nil, body: Self.form) { [app] ctx, r in
                app.postTwilio(ctx, r)
            },
        ]
        list += app.schedulingEndpoints()
        list += EscalationEndpoints(app: app).all
        if app.config.benchEndpoints {
            // A no-op with the same parsing and auth as /v1/messages, for `make bench`'s baseline.
            list.append(Endpoint("POST", "/v1/bench/noop", scope: .ingest, body: Self.json) { ctx, r in
                do throws(APIError) {
                    _ = try JSONObject.parse(ctx.request.body)
                    r.ok(JSON.bytes(["ok": true]))
                } catch { r.fail(error) }
            })
        }
        return list
    }
}
