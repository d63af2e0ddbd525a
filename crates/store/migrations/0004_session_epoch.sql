-- Sessions remember the epoch of their user when they signed in; a password
-- change bumps it, so every other session of that user is signed out.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
