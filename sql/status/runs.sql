-- Grain: one row per run, the last ten, newest first.
select
    runs.run_id,
    runs.started_at,
    runs.finished_at,
    runs.status,
    runs.count_files_seen,
    runs.count_files_new,
    runs.count_files_quarantined,
    runs.count_articles,
    runs.count_entity_mentions,
    runs.count_events,
    runs.message

from runs
order by runs.started_at desc
limit 10
