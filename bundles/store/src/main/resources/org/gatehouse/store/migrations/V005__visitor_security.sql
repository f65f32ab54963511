-- Gatehouse schema, version 5: a visitor pass may be limited to one building's doors (and the community's
-- compound gates). A resident's pass carries the host's building; null = no building limit (office passes, and
-- every pass issued before this version). Portable SQL (PostgreSQL 15 and H2 2.x MODE=PostgreSQL); the first
-- statement can be re-run by hand on H2, the add constraint line cannot (like V004).
alter table visitor_pass add column if not exists building_id varchar(64);

alter table visitor_pass add constraint fk_visitor_pass_building foreign key (building_id) references building (id);
