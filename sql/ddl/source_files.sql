-- Grain: one row per file a run has seen under a source folder.
create table if not exists source_files (
    source_root varchar not null,
    source_file varchar not null,
    content_sha256 varchar,
    status varchar,
    article_id varchar,
    first_seen_run_id varchar,
    last_changed_run_id varchar,
    primary key (source_root, source_file)
);
