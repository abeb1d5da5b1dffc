-- Grain: one row per (period, run status), the period being a run, day, week or month as
-- the variable dashboard_grain says (history_grain.sql): runs, their duration, and the files they saw.
with

numbered as (

    select
        *,
        row_number() over (order by started_at) as run_number,
        case getvariable('dashboard_grain')
            when 'day' then date_trunc('day', started_at)
            when 'week' then date_trunc('week', started_at)
            when 'month' then date_trunc('month', started_at)
            else started_at
        end as period_start

    from runs

),

per_period as (

    select
        period_start,
        status,
        min(run_number) as run_number,
        count(*) as count_runs,
        round(avg(epoch(finished_at - started_at)), 2) as seconds,
        sum(count_files_new) as count_files_new,
        sum(count_files_unchanged) as count_files_unchanged,
        sum(count_files_quarantined) as count_files_quarantined,
        any_value(message) filter (where status = 'failed') as message

    from numbered
    group by period_start, status

)

select * from per_period
order by period_start, status
