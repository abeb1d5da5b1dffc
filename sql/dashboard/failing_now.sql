-- Grain: one row per expectation that failed in one of the last five runs that validated anything.
with

numbered as (

    select
        *,
        row_number() over (order by started_at) as run_number

    from runs

),

recent as (

    select
        run_id,
        run_number

    from numbered
    where run_id in (select validation_results.run_id from validation_results)
    order by started_at desc
    limit 5

),

failures as (

    select
        recent.run_number as run,
        validation_results.table_name,
        validation_results.expectation,
        validation_results.severity,
        validation_results.observed_value,
        validation_results.unexpected_count,
        validation_results.unexpected_examples

    from validation_results
    inner join recent on validation_results.run_id = recent.run_id
    where not validation_results.success

)

select * from failures
order by run desc, severity asc, table_name asc, expectation asc
