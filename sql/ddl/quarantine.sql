-- Grain: one row per input file that was not loaded as an article.
create table if not exists quarantine (
    source_root varchar not null,
    source_file varchar not null,
    content_sha256 varchar,
    reason varchar,
    stage varchar,
    size_bytes bigint,
    raw_bytes blob,
    primary key (source_root, source_file)
);
