-- Gatehouse schema, version 4: visitors, their passes and the visitor log; indexes for retention and
-- subject access. Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); every statement can be re-run by
-- hand on H2 (if [not] exists where both databases allow it).

-- A visitor registration for a host household. id_card_hash is a keyed hash, never the card number.
create table if not exists visitor (
    id                 varchar(64)  primary key,
    community_id       varchar(64)  not null references community (id),
    host_household_id  varchar(64)  not null references household (id),
    name               varchar(200) not null,
    phone              varchar(64),
    id_card_hash       varchar(128),
    purpose            varchar(500),
    expected_from      timestamp with time zone not null,
    expected_until     timestamp with time zone not null,
    status             varchar(32)  not null,
    registered_by      varchar(200) not null,
    registered_via     varchar(32)  not null,
    decided_by         varchar(200),
    decided_at         timestamp with time zone,
    created_at         timestamp with time zone not null
);

create index if not exists ix_visitor_community on visitor (community_id, created_at);

create index if not exists ix_visitor_expected_until on visitor (expected_until);

-- Passes belong to a visitor (V001 created the table without the link; it had no writer, so existing rows,
-- if any, keep visitor_id null).
alter table visitor_pass add column if not exists visitor_id varchar(64);

alter table visitor_pass add constraint fk_visitor_pass_visitor foreign key (visitor_id) references visitor (id);

create index if not exists ix_visitor_pass_visitor on visitor_pass (visitor_id);

-- Only passes that are not revoked must have distinct codes within a community (same technique as V003 for
-- credentials): active_code = code while the pass is not revoked, null once revoked; nulls are distinct, so
-- the unique constraint allows any number of revoked rows and one active row per (community, code).
alter table visitor_pass add column if not exists active_code varchar(64);

update visitor_pass set active_code = code where revoked_at is null;

alter table visitor_pass drop constraint if exists uq_visitor_pass_code;

alter table visitor_pass add constraint uq_visitor_pass_active unique (community_id, active_code);

alter table visitor_pass add constraint ck_visitor_pass_active check ((revoked_at is null and active_code is not null and active_code = code) or (revoked_at is not null and active_code is null));

alter table visitor_pass add constraint ck_visitor_pass_uses check (uses >= 0 and max_uses >= 1);

-- The traceable visitor log. No foreign keys to visitors or passes: the log outlives them (own retention).
create table if not exists visit_log (
    id            varchar(64)   primary key,
    community_id  varchar(64)   not null references community (id),
    visitor_id    varchar(64),
    pass_id       varchar(64),
    event_name    varchar(64)   not null,
    actor         varchar(200)  not null,
    gate          varchar(200),
    at            timestamp with time zone not null,
    detail        varchar(2000) not null default ''
);

create index if not exists ix_visit_log_community_at on visit_log (community_id, at);

create index if not exists ix_visit_log_at on visit_log (at);

-- Retention and subject access.
create index if not exists ix_passage_occurred_at on passage (occurred_at);

create index if not exists ix_passage_subject on passage (subject_id, occurred_at);

create index if not exists ix_alert_raised_at on alert (raised_at);

create index if not exists ix_outbox_published_at on outbox (published_at);
