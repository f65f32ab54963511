-- Gatehouse schema, version 11: what the streams need to recover from trouble. Portable SQL (PostgreSQL 15 and
-- H2 2.x MODE=PostgreSQL); every statement can be re-run by hand.

-- When a consumer began failing without a success since (null while it is not failing): a consumer failing for too
-- long is "stuck" (alert, health DEGRADED). A note when it was registered to start before what retention kept.
alter table stream_consumer add column if not exists failing_since timestamp with time zone;
alter table stream_consumer add column if not exists start_note varchar(500);

-- Why a dead letter was resolved (e.g. the reason it was skipped); resolved_by and resolved_at are in V009.
alter table dead_letter add column if not exists resolution varchar(500);

-- Retention keeps the outbox rows that open dead letters name: found by sequence.
create index if not exists ix_dead_letter_sequence on dead_letter (outbox_sequence);

-- Per stream, the newest event retention deleted (its sequence and when it was written): a consumer asking for
-- events from before it is told that earlier ones are gone.
create table if not exists outbox_purged (
    stream           varchar(64)   primary key,
    last_sequence    bigint        not null,
    last_created_at  timestamp with time zone not null,
    purged_at        timestamp with time zone not null
);
