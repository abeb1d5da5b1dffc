-- Grain: one row per run: its number in start order and the start of the period the history
-- charts put it in (a run, day, week or month as the variable dashboard_grain says, see
-- history_grain.sql). The dashboard creates it as a temporary view before its queries.
select
    runs.run_id,
    runs.started_at,
    row_number() over (order by runs.started_at) as run_number,
    case getvariable('dashboard_grain')
        when 'day' then date_trunc('day', runs.started_at)
        when 'week' then date_trunc('week', runs.started_at)
        when 'month' then date_trunc('month', runs.started_at)
        else runs.started_at
    end as period_start

from runs
