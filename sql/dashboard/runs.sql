-- Grain: one row per run, the latest 50, newest first, numbered from the first run:
-- status, duration and files and rows counted.
with

numbered as (

    select
        *,
        row_number() over (order by started_at) as run_number,
        left(run_id, 8) as short_run_id,
        round(epoch(finished_at - started_at), 2) as seconds

    from runs

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
