-- Grain: one row per distinct article (same text, same article_id).
create table if not exists articles (
    article_id varchar not null,
    source_file varchar,
    content_sha256 varchar,
    title varchar,
    published_at timestamp,
    published_precision varchar,
    body varchar,
    word_count integer,
    encoding varchar,
    dateline_place varchar,
    url varchar,
    published_offset_minutes integer,
    primary key (article_id)
);
