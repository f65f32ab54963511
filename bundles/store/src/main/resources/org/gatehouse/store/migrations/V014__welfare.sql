-- Gatehouse schema, version 14: the welfare module's part of its alerts (inactivity of residents with a care flag,
-- idle flats, sublease signs). Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); every statement can be re-run
-- by hand.

-- One row per welfare alert, next to its row in alert (same id: one per episode, chosen by the module, so a re-run
-- opens nothing twice). The alert row keeps type, status, message, raised_at and the acknowledgements, and the
-- alerts stream; this keeps who was told and when (escalations, JSON list), what the visit found (outcome, finding,
-- visited_by, visited_at), how the case was closed, and for cases the evidence (JSON list of lines) and the purpose
-- statement of the analysis. Deleted with its alert (retention purges closed alerts).
create table if not exists welfare_case (
    alert_id      varchar(128)  primary key references alert (id) on delete cascade,
    community_id  varchar(64)   not null,
    kind          varchar(32)   not null,
    subject_id    varchar(128)  not null,
    household_id  varchar(64),
    since_at      timestamp with time zone,
    due_at        timestamp with time zone,
    escalations   varchar       not null default '[]',
    outcome       varchar(16),
    finding       varchar(2000),
    visited_by    varchar(200),
    visited_at    timestamp with time zone,
    closed_by     varchar(200),
    closed_at     timestamp with time zone,
    close_reason  varchar(2000),
    evidence      varchar       not null default '[]',
    purpose       varchar(1000) not null default ''
);

create index if not exists ix_welfare_case_subject on welfare_case (community_id, kind, subject_id);
