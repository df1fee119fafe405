#!/usr/bin/env python3
"""Steady write load for the failover drill: WORKERS threads each create leads with unique names through the API, one
request at a time, until STOP_FILE exists. Every request is one JSON line in OUT: worker, name, start and end (epoch
seconds), outcome (the HTTP status, or the exception's class for a transport error) and the lead's id when created.
No retries: a request that failed is not acknowledged, and the drill counts it as an error the client saw.
Usage: load.py BASE TOKEN WORKERS STOP_FILE OUT"""
import http.client, json, os, sys, threading, time, urllib.parse

base, token, workers, stop_file, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
url = urllib.parse.urlparse(base)
lock = threading.Lock()
out = open(out_path, "w", buffering=1)


def worker(n):
    conn, seq = None, 0
    while not os.path.exists(stop_file):
        seq += 1
        name = f"fo{n}x{seq}"
        body = json.dumps({"firstName": "Drill", "lastName": name, "company": "Failover drill"})
        start, outcome, lead_id = time.time(), None, None
        try:
            if conn is None:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            conn.request("POST", "/api/v1/leads", body, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            payload = response.read()
            outcome = response.status
            if response.status == 201:
                lead_id = json.loads(payload)["id"]
        except Exception as error:  # a dropped connection is an outcome to count, not a reason to stop
            outcome = type(error).__name__
            conn = None
            time.sleep(0.05)
        with lock:
            out.write(json.dumps({"worker": n, "name": name, "start": start, "end": time.time(), "outcome": outcome, "id": lead_id}) + "\n")


threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
