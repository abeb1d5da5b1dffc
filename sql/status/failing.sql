-- Grain: one row per expectation that failed in the last run.
with

last_run as (

    select runs.run_id

    from runs
    order by runs.started_at desc
    limit 1

),

failing as (

    select
        validation_results.run_id,
        validation_results.table_name,
        validation_results.expectation,
        validation_results.severity,
        validation_results.unexpected_count,
        validation_results.observed_value

    from validation_results
    inner join last_run on validation_results.run_id = last_run.run_id
    where not validation_results.success

)

select * from failing
order by severity, table_name, expectation
