-- Gatehouse schema, version 7: key checks, and the audit chain keyed with HMAC-SHA256.
-- Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); every statement can be re-run by hand on H2.

-- One row per secret key kept outside the database (purpose: whitelist, visitor, audit, template:<alias>): the
-- check value is HMAC-SHA256 of a fixed label made with the key, never the key. Recorded the first time a key is
-- used with this database; a missing or different key file is then refused instead of replaced by a new key.
-- key_file is where the key file was when it was recorded (for the operator).
create table if not exists key_check (
    purpose      varchar(200)  primary key,
    check_value  varchar(100)  not null,
    key_file     varchar(1000),
    recorded_at  timestamp with time zone not null
);

-- How the audit chain's hashes are made: 'sha256' (V002: SHA-256, no key) until the store has verified that chain
-- and re-chained every entry with HMAC-SHA256 under the audit key ('hmac-sha256'), in one transaction.
alter table audit_chain_head add column if not exists chain_format varchar(32) default 'sha256' not null;
