-- Grain: one row per (run, suite): the share of the suite's expectations that passed.
with

numbered as (

    select
        *,
        row_number() over (order by started_at) as run_number

    from runs

),

per_suite as (

    select
        numbered.run_number,
        numbered.started_at,
        validation_results.table_name as suite,
        avg(validation_results.success::int) as pass_rate

    from validation_results
    inner join numbered on validation_results.run_id = numbered.run_id
    group by all

)

select * from per_suite
order by run_number
