#!/usr/bin/env python3
"""1,000 clusters alerting at once, delivered to one webhook (issue 17).

Starts the release (or given) server binary without the collector on a
fresh data directory, signs in over REST, creates one webhook channel
pointing at a receiver in this script, then writes 1,000 clusters, one open
alert each and their outbox rows into the console's SQLite database in one
transaction (as 1,000 alerts task transactions would leave them). Measures
the time from that commit to the last message at the receiver, checks that
every alert arrived exactly once, and reads the server's peak RSS (VmHWM).

    python3 scripts/bench/alert_drain.py [--bin target/release/starrocks-overview]
        [--clusters 1000] [--rate 3000]
"""

import argparse
import json
import os
import sqlite3
import sys
import time

from receiver import console, request


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/starrocks-overview")
    ap.add_argument("--clusters", type=int, default=1000)
    ap.add_argument("--rate", default="", help="the channel's messages per minute (empty: the webhook default)")
    ap.add_argument("--port", type=int, default=3391)
    args = ap.parse_args()

    with console(args.bin, args.port, "sro-drain-", "--no-collector") as (rx, data, server, cookie):
        channel = {"name": "drain", "kind": "webhook", "enabled": True,
                   "url": rx.url(), "rate_per_minute": args.rate}
        status, body, _ = request(args.port, "POST", "/api/channels", channel, cookie)
        assert status == 201, body
        rate = json.loads(body)["rate_per_minute"]

        db = sqlite3.connect(os.path.join(data, "starrocks-overview.db"), timeout=30)
        now = int(time.time() * 1000)
        # Opened more than the group wait ago: due at once.
        opened = now - 31_000
        with db:
            db.executemany(
                "INSERT INTO clusters (name, fe_host, http_port, query_port, username, password_enc, "
                "created_at, updated_at) VALUES (?, '127.0.0.1', 8030, 9030, 'root', x'00', ?, ?)",
                [(f"cluster-{i:04}", now, now) for i in range(args.clusters)])
            ids = [r[0] for r in db.execute("SELECT id FROM clusters ORDER BY id")]
            for cid in ids:
                cur = db.execute(
                    "INSERT INTO alerts (cluster_id, rule, level, title, reason, action, opened_at) "
                    "VALUES (?, 'nodes', 'critical', 'Nodes', '1 of 3 BE/CN dead: 10.0.0.7 (9050).', "
                    "'Bring the node back.', ?)", (cid, opened))
                db.execute("INSERT INTO alert_events (alert_id, cluster_id, state, at) VALUES (?, ?, 'firing', ?)",
                           (cur.lastrowid, cid, opened))
        committed = time.monotonic()
        deadline = committed + 600
        while time.monotonic() < deadline:
            with rx.lock:
                if len(rx.got) >= args.clusters:
                    break
            time.sleep(0.05)
        time.sleep(2)  # a duplicate would arrive now
        with rx.lock:
            got = list(rx.got)
        rss = peak_rss_kib(server.pid)
        ids = [g[1] for g in got]
        clusters = set()
        for _, _, body in got:
            for a in json.loads(body)["alerts"]:
                clusters.add(a["labels"]["cluster"])
        print(json.dumps({
            "clusters": args.clusters,
            "rate_per_minute": rate,
            "messages": len(got),
            "distinct_message_ids": len(set(ids)),
            "clusters_told": len(clusters),
            "first_s": round(got[0][0] - committed, 2) if got else None,
            "drain_s": round(got[-1][0] - committed, 2) if got else None,
            "server_peak_rss_mib": round(rss / 1024, 1),
        }))
        if len(set(ids)) != args.clusters or len(got) != args.clusters:
            sys.exit("not every alert arrived exactly once")


if __name__ == "__main__":
    main()
