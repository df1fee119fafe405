-- wrk: POST a body of the size of a lead.created event to the receiver (its capacity: the run's baseline).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.rep("x", tonumber(os.getenv("BODY_BYTES") or "900"))
