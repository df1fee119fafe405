#!/usr/bin/env python3
"""Creates COUNT leads through the API as fast as CLIENTS threads go (each lead.created is a webhook event); prints
how many were acknowledged (201) and how many failed.
Usage: burst.py BASE TOKEN COUNT CLIENTS TAG"""
import json, sys, threading, urllib.request

base, token, count, clients, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
lock = threading.Lock()
next_index, ok, failed = 0, 0, 0


def work():
    global next_index, ok, failed
    while True:
        with lock:
            if next_index >= count:
                return
            i = next_index
            next_index += 1
        body = json.dumps({"firstName": "Burst", "lastName": f"{tag}-{i:06d}"}).encode()
        request = urllib.request.Request(f"{base}/api/v1/leads", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                good = response.status == 201
        except Exception:
            good = False
        with lock:
            if good:
                ok += 1
            else:
                failed += 1


threads = [threading.Thread(target=work) for _ in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
print(ok, failed)
