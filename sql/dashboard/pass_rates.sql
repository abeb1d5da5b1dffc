-- Grain: one row per (period, suite): the share of the suite's expectations that passed in the
-- period's runs; the period is a run, day, week or month (views/run_periods.sql).
with

per_suite as (

    select
        run_periods.period_start,
        validation_results.table_name as suite,
        min(run_periods.run_number) as run_number,
        avg(validation_results.success::int) as pass_rate

    from validation_results
    inner join run_periods on validation_results.run_id = run_periods.run_id
    group by run_periods.period_start, validation_results.table_name

)

select * from per_suite
order by period_start, suite
