#!/usr/bin/env python3
"""From a fault to the receiver (issue 17): 20 runs at a 5-s collect interval.

Starts the server binary with the demo clusters (`--demo`), collecting every
5 s, signs in over REST and creates a webhook channel pointing at a receiver
in this script. Each run kills a backend of the demo's healthy cluster
through the simulator's fault switch and measures the time until the
receiver gets the firing message of its `nodes` alert; then clears the
fault and waits for the resolved message before the next run. Prints each
delay and the p50 and p95.

    python3 scripts/bench/alert_delay.py [--bin target/release/starrocks-overview]
        [--runs 20] [--group-wait 0]

The group wait (default 30 s in the product) is added to every delay as it
is meant to be: a cluster's alerts of one moment go out together. The
measurement runs with `--group-wait 0` unless told otherwise, so that what
it measures is detection and delivery.
"""

import argparse
import json
import random
import time

from receiver import console, request


def wait_for(rx, since, status, deadline_s=120):
    """The arrival time of the first message after `since` that says the
    `nodes` alert is in `status` (firing or resolved)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with rx.lock:
            for at, _, raw in rx.got:
                if at >= since and any(a["labels"].get("alertname") == "nodes" and a["status"] == status
                                       for a in json.loads(raw).get("alerts", [])):
                    return at
        time.sleep(0.05)
    raise SystemExit(f"no {status} message within {deadline_s} s")


def percentile(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/starrocks-overview")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--group-wait", default="0")
    ap.add_argument("--port", type=int, default=3392)
    args = ap.parse_args()

    with console(args.bin, args.port, "sro-delay-", "--demo", "--collect-interval-s", "5", "--notify-group-wait-s", args.group_wait) as (rx, data, server, cookie):
        fleet = json.loads(request(args.port, "GET", "/api/fleet", cookie=cookie)[1])
        cid = next(c["cluster_id"] for c in fleet["clusters"] if c["name"] == "demo-healthy")
        sim_port = json.loads(request(args.port, "GET", f"/api/clusters/{cid}", cookie=cookie)[1])["http_port"]
        channel = {"name": "delay", "kind": "webhook", "enabled": True, "scope": "clusters",
                   "selected": "demo-healthy", "url": rx.url()}
        status, body, _ = request(args.port, "POST", "/api/channels", channel, cookie)
        assert status == 201, body
        time.sleep(12)  # two collections: the healthy baseline

        delays = []
        for run in range(args.runs):
            start = time.monotonic()
            status, body, _ = request(sim_port, "POST", "/_sim/faults", {"fault": "be_dead", "index": 1})
            assert status < 300, body
            fired = wait_for(rx, start, "firing")
            delays.append(fired - start)
            print(f"run {run + 1}: {fired - start:.2f} s", flush=True)
            cleared = time.monotonic()
            request(sim_port, "DELETE", "/_sim/faults")
            wait_for(rx, cleared, "resolved")
            # A random phase of the 5-s collection cycle for each run.
            time.sleep(1.0 + random.uniform(0, 5))
        print(json.dumps({
            "runs": len(delays),
            "collect_interval_s": 5,
            "group_wait_s": int(args.group_wait),
            "p50_s": round(percentile(delays, 50), 2),
            "p95_s": round(percentile(delays, 95), 2),
            "min_s": round(min(delays), 2),
            "max_s": round(max(delays), 2),
        }))


if __name__ == "__main__":
    main()
