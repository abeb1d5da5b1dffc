-- Grain: one row per canonical entity, shared by all articles.
create table if not exists entities (
    entity_id varchar not null,
    name varchar,
    type varchar,
    country varchar,
    latitude double,
    longitude double,
    primary key (entity_id)
);
