-- Postino schema version 1. Every table carries user_name, the Citus distribution column; every query names one
-- user; the only foreign keys join rows of the same user (colocated), see docs/scaling.md.

CREATE TABLE postino_users (
    user_name text PRIMARY KEY,
    password text NOT NULL,
    uid text NOT NULL DEFAULT '',
    gid text NOT NULL DEFAULT '',
    gecos text NOT NULL DEFAULT '',
    home text NOT NULL DEFAULT '',
    shell text NOT NULL DEFAULT '',
    -- The passwd-file extra fields in their order: [["key","value"], ...].
    extra jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A folder ('INBOX' or a POP2 folder) with its usage, kept in step by every delivery and commit so that quota checks
-- read one row; the row is also what serialises deliveries to one mailbox.
CREATE TABLE postino_folders (
    user_name text NOT NULL,
    folder text NOT NULL,
    messages bigint NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (user_name, folder)
);

CREATE TABLE postino_messages (
    user_name text NOT NULL,
    message_id bigserial NOT NULL,
    folder text NOT NULL,
    uidl text NOT NULL,
    -- Octets on the wire (CRLF line ends, final CRLF, before dot-stuffing): what STAT/LIST report.
    size bigint NOT NULL,
    received_at timestamptz NOT NULL,
    first_retrieved_at timestamptz,
    PRIMARY KEY (user_name, message_id),
    UNIQUE (user_name, folder, uidl),
    FOREIGN KEY (user_name, folder) REFERENCES postino_folders (user_name, folder)
);

-- The login snapshot: one index-only range scan per mailbox, in message-number order.
CREATE INDEX postino_messages_snapshot ON postino_messages (user_name, folder, received_at, message_id)
    INCLUDE (uidl, size, first_retrieved_at);

-- Message bodies in their wire form, in bounded chunks read a few at a time.
CREATE TABLE postino_chunks (
    user_name text NOT NULL,
    message_id bigint NOT NULL,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (user_name, message_id, seq),
    FOREIGN KEY (user_name, message_id) REFERENCES postino_messages (user_name, message_id) ON DELETE CASCADE
);
