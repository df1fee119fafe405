#!/usr/bin/env python3
"""Steady API load for the PostgreSQL restart drill: CLIENTS threads, each creating a lead with a unique last name and
then reading the lead list, over and over, until STOP_FILE exists. One line per request to OUT:
start_seconds  end_seconds  kind  status  lead_last_name  (status 0: no answer — connection refused, timeout)."""
import http.client, json, os, sys, threading, time, urllib.parse

base, token, out_path, stop_file, clients = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
url = urllib.parse.urlparse(base)
lock = threading.Lock()
out = open(out_path, "w", buffering=1)

def request(conn, method, path, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status

def client(n):
    conn, i = None, 0
    while not os.path.exists(stop_file):
        for kind in ("create", "list"):
            name = f"restart-{n}-{i}" if kind == "create" else ""
            started = time.time()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
                status = request(conn, "POST", "/api/v1/leads", {"firstName": "Drill", "lastName": name}) if kind == "create" \
                    else request(conn, "GET", "/api/v1/leads?pageSize=20")
            except Exception:
                status = 0
                conn = None
            with lock:
                out.write(f"{started:.3f} {time.time():.3f} {kind} {status} {name}\n")
        i += 1
        time.sleep(0.05)

threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
