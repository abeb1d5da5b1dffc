-- Grain: one row per run, the latest 50, newest first, numbered from the first run
-- (views/run_periods.sql): status, duration and files and rows counted.
with

numbered as (

    select
        runs.*,
        run_periods.run_number,
        left(runs.run_id, 8) as short_run_id,
        round(epoch(runs.finished_at - runs.started_at), 2) as seconds

    from runs
    inner join run_periods on runs.run_id = run_periods.run_id

),

latest as (

    select
        run_number,
        short_run_id as run_id,
        started_at,
        status,
        seconds,
        count_files_new,
        count_files_unchanged,
        count_files_quarantined,
        count_articles,
        count_events,
        message

    from numbered
    order by started_at desc
    limit 50

)

select * from latest
order by started_at desc
