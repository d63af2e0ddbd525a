-- Alert delivery (issue 17): channels, silences, the outbox and the
-- delivery log.

-- Where notifications go. The destination (URLs with tokens, signing
-- secrets, SMTP passwords) is sealed like a cluster password; `shown` is
-- what the browser may see of it (a host, the recipients).
CREATE TABLE channels (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    -- webhook, dingtalk, feishu, wecom, slack, email
    kind            TEXT    NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    -- warning or critical: the lowest level sent
    min_level       TEXT    NOT NULL,
    -- all, tags or clusters; `selected` lists the tags or cluster names
    scope           TEXT    NOT NULL,
    selected        TEXT    NOT NULL DEFAULT '',
    lang            TEXT    NOT NULL DEFAULT 'en',
    rate_per_minute INTEGER NOT NULL,
    shown           TEXT    NOT NULL,
    target          BLOB    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- Mutes sending (not the alert) for a cluster, a rule, or a rule on a
-- cluster, until `ends_at`; ending one early sets `ended_by` and `ends_at`.
CREATE TABLE silences (
    id          INTEGER PRIMARY KEY,
    cluster_id  INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
    rule        TEXT,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    comment     TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    ended_by    TEXT,
    CHECK (cluster_id IS NOT NULL OR rule IS NOT NULL)
);
CREATE INDEX silences_by_end ON silences (ends_at);

-- The outbox: an alert's state change, written in the transaction that
-- opens, escalates or resolves it, so that a crash cannot lose one. The
-- sender routes each to the channels (`notify_cursor` says how far).
CREATE TABLE alert_events (
    id          INTEGER PRIMARY KEY,
    alert_id    INTEGER NOT NULL,
    cluster_id  INTEGER NOT NULL,
    -- firing (opened or level rose) or resolved
    state       TEXT    NOT NULL,
    at          INTEGER NOT NULL
);
CREATE TABLE notify_cursor (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_event  INTEGER NOT NULL
);
INSERT INTO notify_cursor (id, last_event) VALUES (1, 0);

-- What each channel is to say about an alert and what it last said. A
-- change waits in `pending` until `due_at` (the group wait), then goes into
-- a message with the cluster's other due changes.
CREATE TABLE channel_alerts (
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    alert_id    INTEGER NOT NULL,
    cluster_id  INTEGER NOT NULL,
    -- firing, repeat or resolved; NULL when nothing waits
    pending     TEXT,
    due_at      INTEGER,
    -- the last state put in a message (firing or resolved) and when; a
    -- silenced change is not told
    told        TEXT,
    told_at     INTEGER,
    PRIMARY KEY (channel_id, alert_id)
);
CREATE INDEX channel_alerts_due ON channel_alerts (due_at) WHERE pending IS NOT NULL;

-- A message to a channel, fixed when made so that every attempt sends the
-- same words under the same id. Sent in order per channel and cluster.
CREATE TABLE messages (
    id          TEXT    PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    cluster_id  INTEGER NOT NULL,
    notice      TEXT    NOT NULL,
    summary     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    -- pending, sent or gave_up
    state       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX messages_pending ON messages (channel_id, cluster_id, created_at) WHERE state = 'pending';

-- Every attempt, and every "Send test".
CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- NULL for a test
    message_id  TEXT,
    at          INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    ok          INTEGER NOT NULL,
    -- the HTTP status or SMTP reply code
    status      TEXT,
    -- the answer or the error, at most 500 characters
    detail      TEXT    NOT NULL,
    summary     TEXT    NOT NULL
);
CREATE INDEX deliveries_by_channel ON deliveries (channel_id, at);
