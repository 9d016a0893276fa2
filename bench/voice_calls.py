#!/usr/bin/env python3
"""Voice benchmark: N concurrent streamed calls against a running intaked.

Each call opens its event stream (GET /v1/calls/ID/events), then streams a transcript
(POST /v1/calls/ID/transcript, chunked NDJSON) with partials and finals paced like speech.
The latency of a final segment is the time from writing its line to reading its answer on the
event stream. Prints p50/p99 over all finals and the number of calls that completed.

    bench/voice_calls.py --port 8080 --token TOKEN --calls 200
"""
import argparse, http.client, json, socket, statistics, sys, threading, time

# Routine questions the daemon answers itself, so every call runs its four turns (booking
# turns would contend for the same demo slots and hand calls over when none are left).
UTTERANCES = [
    "hi what are your hours on saturday",
    "is there parking at the clinic",
    "where is the main street clinic located",
    "what is the address of the clinic",
]

def call(port, token, call_id, pause, results, errors, start_barrier):
    sent = {}
    got = {}
    done = threading.Event()

    def listen():
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            c.request("GET", "/v1/calls/%s/events" % call_id, headers={"Authorization": "Bearer " + token})
            r = c.getresponse()
            for raw in r:
                line = raw.strip()
                if not line:
                    continue
                a = json.loads(line)
                seq = a.get("seq")
                if a.get("decision") and seq in sent and seq not in got:
                    got[seq] = time.monotonic() - sent[seq]
        except Exception as e:
            if not isinstance(e, http.client.IncompleteRead):
                errors.append("events %s: %s" % (call_id, e))
        finally:
            done.set()

    t = threading.Thread(target=listen, daemon=True)
    t.start()
    start_barrier.wait()
    time.sleep(0.2)

    def body():
        seq = 0
        for text in UTTERANCES:
            seq += 1
            words = text.split()
            for i in range(3, len(words), 3):
                time.sleep(pause)
                yield (json.dumps({"seq": seq, "type": "partial", "text": " ".join(words[:i])}) + "\n").encode()
            time.sleep(pause)
            sent[seq] = time.monotonic()
            yield (json.dumps({"seq": seq, "type": "final", "text": text, "asr_confidence": 0.9}) + "\n").encode()
        time.sleep(pause)
        yield (json.dumps({"seq": seq + 1, "type": "hangup"}) + "\n").encode()

    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        c.request("POST", "/v1/calls/%s/transcript" % call_id, body=body(), encode_chunked=True,
                  headers={"Authorization": "Bearer " + token, "Content-Type": "application/x-ndjson"})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            errors.append("transcript %s: HTTP %d" % (call_id, r.status))
    except Exception as e:
        errors.append("transcript %s: %s" % (call_id, e))
    done.wait(30)
    results.append(list(got.values()))

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--calls", type=int, default=200)
    p.add_argument("--pause", type=float, default=0.3, help="seconds between transcript lines")
    a = p.parse_args()
    results, errors = [], []
    barrier = threading.Barrier(a.calls)
    threads = [threading.Thread(target=call, args=(a.port, a.token, "bench-%d-%d" % (int(time.time()), i), a.pause,
                                                   results, errors, barrier)) for i in range(a.calls)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat = sorted(x * 1000 for r in results for x in r)
    complete = sum(1 for r in results if len(r) == len(UTTERANCES))
    if not lat:
        print("RESULT voice calls=%d complete=0 errors=%d" % (a.calls, len(errors)))
        for e in errors[:5]:
            print("  " + e, file=sys.stderr)
        return 1
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print("RESULT voice calls=%d complete=%d finals=%d p50_ms=%.1f p99_ms=%.1f errors=%d wall_s=%.1f" %
          (a.calls, complete, len(lat), p50, p99, len(errors), time.monotonic() - t0))
    for e in errors[:5]:
        print("  " + e, file=sys.stderr)
    return 0

if __name__ == "__main__":
    sys.exit(main())
