-- Grain: one row per mention of an entity in an article body.
create table if not exists entity_mentions (
    article_id varchar not null,
    entity_id varchar,
    mention varchar,
    start_char integer not null,
    end_char integer not null,
    name varchar,
    country varchar,
    primary key (article_id, start_char, end_char)
);
