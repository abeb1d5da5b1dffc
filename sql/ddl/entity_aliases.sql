-- Grain: one row per (entity, surface form that named it in some article).
create table if not exists entity_aliases (
    entity_id varchar not null,
    alias varchar not null,
    primary key (entity_id, alias)
);
