-- Gatehouse schema, version 8: bulk import jobs survive the node that runs them.
-- Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); every statement can be re-run by hand on H2.
-- (V007 is another change; Migrator applies the listed files in list order, the numbers need not be contiguous.)

-- A job: who submitted it for which community, where it stands (counts, next_seq = every row before it is
-- processed) and which run holds it (attempt: 1 for the first run, +1 per resume; row writes are conditional on it).
-- photos names the job's photo zip in the holding node's import folder (the zip itself is a file, not a column).
create table if not exists import_job (
    id             varchar(64)   primary key,
    community_id   varchar(64)   not null references community (id),
    submitted_by   varchar(200)  not null,
    submitted_at   timestamp with time zone not null,
    status         varchar(16)   not null,
    total_rows     integer       not null,
    done_rows      integer       not null default 0,
    failed_rows    integer       not null default 0,
    next_seq       integer       not null default 0,
    attempt        integer       not null,
    node           varchar(200)  not null,
    photos         varchar(500),
    photos_sha256  varchar(64),
    updated_at     timestamp with time zone not null,
    finished_at    timestamp with time zone,
    error_en       varchar(2000),
    error_zh       varchar(2000),
    constraint ck_import_job_status check (status in ('QUEUED', 'RUNNING', 'INTERRUPTED', 'FINISHED', 'FAILED')),
    constraint ck_import_job_counts check (done_rows >= 0 and failed_rows >= 0 and done_rows + failed_rows <= total_rows and next_seq >= 0 and next_seq <= total_rows and attempt >= 1)
);

create index if not exists ix_import_job_community on import_job (community_id, submitted_at);

create index if not exists ix_import_job_node on import_job (node, status);

-- One data row of a job's CSV: its fields (JSON, cleared once the job has ended) and its outcome. A DONE or
-- FACE_PENDING row names the resident it created, committed in the same transaction as that resident.
create table if not exists import_row (
    job_id        varchar(64)   not null references import_job (id) on delete cascade,
    seq           integer       not null,
    csv_row       integer       not null,
    fields        varchar,
    status        varchar(16)   not null,
    resident_id   varchar(64),
    code          varchar(64),
    message_en    varchar(2000),
    message_zh    varchar(2000),
    processed_at  timestamp with time zone,
    primary key (job_id, seq),
    constraint ck_import_row_status check (status in ('PENDING', 'FACE_PENDING', 'DONE', 'FAILED')),
    constraint ck_import_row_resident check (status not in ('FACE_PENDING', 'DONE') or resident_id is not null)
);

create index if not exists ix_import_row_resident on import_row (resident_id);
