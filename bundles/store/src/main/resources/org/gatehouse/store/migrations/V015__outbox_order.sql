-- Gatehouse schema, version 15: outbox rows numbered in commit order. Portable SQL (PostgreSQL 15 and H2 2.x
-- MODE=PostgreSQL); every statement can be re-run by hand.

-- One row whose lock a transaction takes right before it inserts its outbox rows, and holds until it commits: the
-- next transaction numbers its rows after this one's are visible, so a consumer reading by sequence never passes
-- over a lower sequence that commits later (OutboxWriter).
create table if not exists outbox_order (
    id integer primary key
);
insert into outbox_order (id) select 1 where not exists (select 1 from outbox_order where id = 1);
