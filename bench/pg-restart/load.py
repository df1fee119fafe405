#!/usr/bin/env python3
"""Steady API load for the PostgreSQL restart drill: CLIENTS threads, each creating a lead with a unique last name and
then reading the lead list, over and over, until STOP_FILE exists. One line per request to OUT:
start_seconds  end_seconds  kind  status  lead_last_name  (status 0: no answer — connection refused, timeout).
With EMAIL PASSWORD TENANT after the others, a 401 (the 15-minute access token expired) signs in again, as a client
does; without them the token must outlive the run."""
import http.client, json, os, sys, threading, time, urllib.parse

base, token, out_path, stop_file, clients = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
credentials = sys.argv[6:9] if len(sys.argv) >= 9 else None
url = urllib.parse.urlparse(base)
lock = threading.Lock()
out = open(out_path, "w", buffering=1)

def sign_in():
    global token
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    email, password, tenant = credentials
    conn.request("POST", "/api/v1/auth/login", body=json.dumps({"email": email, "password": password, "tenant": tenant}),
                 headers={"Content-Type": "application/json"})
    token = json.loads(conn.getresponse().read())["accessToken"]

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
            if status == 401 and credentials:
                with lock:
                    sign_in()
            with lock:
                out.write(f"{started:.3f} {time.time():.3f} {kind} {status} {name}\n")
        i += 1
        time.sleep(0.05)

threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
