-- Grain: one row per (period, run status), the period being a run, day, week or month
-- (views/run_periods.sql): runs, their duration, and the files they saw.
with

per_period as (

    select
        run_periods.period_start,
        runs.status,
        min(run_periods.run_number) as run_number,
        count(*) as count_runs,
        round(avg(epoch(runs.finished_at - runs.started_at)), 2) as seconds,
        sum(runs.count_files_new) as count_files_new,
        sum(runs.count_files_unchanged) as count_files_unchanged,
        sum(runs.count_files_quarantined) as count_files_quarantined,
        any_value(runs.message) filter (where runs.status = 'failed') as message

    from runs
    inner join run_periods on runs.run_id = run_periods.run_id
    group by run_periods.period_start, runs.status

)

select * from per_period
order by period_start, status
