-- Grain: one row per flow run.
create table if not exists runs (
    run_id varchar not null,
    started_at timestamp,
    finished_at timestamp,
    status varchar,
    source_dir varchar,
    count_files_seen bigint,
    count_files_new bigint,
    count_files_unchanged bigint,
    count_files_quarantined bigint,
    count_articles bigint,
    count_entities bigint,
    count_entity_mentions bigint,
    count_events bigint,
    message varchar,
    primary key (run_id)
);
