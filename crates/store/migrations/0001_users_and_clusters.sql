-- Accounts of the console itself (not StarRocks users).
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    -- argon2id PHC string
    password_hash        TEXT    NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

-- Registered StarRocks clusters. History tables reference clusters(id)
-- with ON DELETE CASCADE, so deleting a cluster deletes its history.
CREATE TABLE clusters (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    fe_host      TEXT    NOT NULL,
    http_port    INTEGER NOT NULL CHECK (http_port BETWEEN 1 AND 65535),
    query_port   INTEGER NOT NULL CHECK (query_port BETWEEN 1 AND 65535),
    username     TEXT    NOT NULL,
    -- AES-256-GCM: 12-byte nonce followed by ciphertext and tag; never plaintext
    password_enc BLOB    NOT NULL,
    has_password INTEGER NOT NULL DEFAULT 0,
    use_https    INTEGER NOT NULL DEFAULT 0,
    description  TEXT    NOT NULL DEFAULT '',
    -- comma-separated, validated to contain no commas
    tags         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
