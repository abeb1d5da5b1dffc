-- Grain: one row per (period, suite): the share of the suite's expectations that passed in the
-- period's runs; the period is a run, day, week or month as the variable dashboard_grain says (history_grain.sql).
with

numbered as (

    select
        runs.run_id,
        row_number() over (order by runs.started_at) as run_number,
        case getvariable('dashboard_grain')
            when 'day' then date_trunc('day', runs.started_at)
            when 'week' then date_trunc('week', runs.started_at)
            when 'month' then date_trunc('month', runs.started_at)
            else runs.started_at
        end as period_start

    from runs

),

per_suite as (

    select
        numbered.period_start,
        validation_results.table_name as suite,
        min(numbered.run_number) as run_number,
        avg(validation_results.success::int) as pass_rate

    from validation_results
    inner join numbered on validation_results.run_id = numbered.run_id
    group by numbered.period_start, validation_results.table_name

)

select * from per_suite
order by period_start, suite
