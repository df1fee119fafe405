#!/usr/bin/env python3
"""Steady write load for the failover drill: WORKERS threads each create leads with unique names through the API, one
request at a time, until STOP_FILE exists. Every request is one JSON line in OUT: worker, name, start and end (epoch
seconds), outcome (the HTTP status, or the exception's class for a transport error) and the lead's id when created.
No retries: a request that failed is not acknowledged, and the drill counts it as an error the client saw.
With CALLBACK_PATH and CALLBACK_FILES (bench/webhooks/Signer's "signature<TAB>body" files, PREFIX.0 .. PREFIX.N-1),
N more threads replay those signed Twilio status callbacks, each line once and in order; their "name" is the call
event's key (status:CallSid:CallStatus:SequenceNumber), the row an acknowledged callback must leave in call_events.
Usage: load.py BASE TOKEN WORKERS STOP_FILE OUT [CALLBACK_PATH CALLBACK_FILES N]"""
import http.client, json, os, sys, threading, time, urllib.parse
from urllib.parse import parse_qs

base, token, workers, stop_file, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
url = urllib.parse.urlparse(base)
lock = threading.Lock()
out = open(out_path, "w", buffering=1)


class Client:
    """One keep-alive connection; sends a request and records its outcome."""
    def __init__(self, kind, n):
        self.kind, self.n, self.conn = kind, n, None

    def send(self, name, path, body, headers):
        start, outcome, created = time.time(), None, None
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            self.conn.request("POST", path, body, headers)
            response = self.conn.getresponse()
            payload = response.read()
            outcome = response.status
            if response.status == 201:
                created = json.loads(payload)["id"]
            elif response.status == 503:
                time.sleep(0.1)  # a polite client backs off (the API says Retry-After: 2; shorter here to time the resumption)
        except Exception as error:  # a dropped connection is an outcome to count, not a reason to stop
            outcome = type(error).__name__
            self.conn = None
            time.sleep(0.05)
        with lock:
            out.write(json.dumps({"kind": self.kind, "worker": self.n, "name": name, "start": start, "end": time.time(),
                                  "outcome": outcome, "id": created}) + "\n")


def lead_worker(n):
    client, seq = Client("lead", n), 0
    while not os.path.exists(stop_file):
        seq += 1
        name = f"fo{n}x{seq}"
        client.send(name, "/api/v1/leads", json.dumps({"firstName": "Drill", "lastName": name, "company": "Failover drill"}),
                    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})


def callback_worker(n, path, prefix):
    client = Client("callback", n)
    for line in open(f"{prefix}.{n}"):
        if os.path.exists(stop_file): break
        signature, body = line.rstrip("\n").split("\t", 1)
        f = {k: v[0] for k, v in parse_qs(body).items()}
        key = f"status:{f['CallSid']}:{f['CallStatus']}:{f['SequenceNumber']}"
        client.send(key, path, body, {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})


threads = [threading.Thread(target=lead_worker, args=(n,)) for n in range(workers)]
if len(sys.argv) > 6:
    threads += [threading.Thread(target=callback_worker, args=(n, sys.argv[6], sys.argv[7])) for n in range(int(sys.argv[8]))]
for t in threads: t.start()
for t in threads: t.join()
