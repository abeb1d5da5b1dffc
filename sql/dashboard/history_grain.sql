-- Grain: one row: how many runs there are, over what span, and the period the history charts
-- group them by, so a year of 15-minute runs (35,000) still draws a few dozen points: each run
-- up to 100 runs, then days up to three months, weeks up to two years, months beyond.
with

span as (

    select
        count(*) as count_runs,
        min(runs.started_at) as first_started_at,
        max(runs.started_at) as last_started_at

    from runs

),

grain as (

    select
        count_runs,
        first_started_at,
        last_started_at,
        case
            when count_runs <= 100 then 'run'
            when last_started_at - first_started_at <= interval 92 days then 'day'
            when last_started_at - first_started_at <= interval 730 days then 'week'
            else 'month'
        end as grain

    from span

)

select * from grain
