-- Grain: one row per (run, expectation, source file) for the expectations that failed in the
-- last five runs that validated anything: the files the failing rows came from, as the
-- validation recorded them (unexpected_source_files, the first 20 per expectation and run).
with

numbered as (

    select
        runs.run_id,
        runs.started_at,
        row_number() over (order by runs.started_at) as run_number

    from runs

),

recent as (

    select
        numbered.run_id,
        numbered.run_number

    from numbered
    where numbered.run_id in (select validation_results.run_id from validation_results)
    order by numbered.started_at desc
    limit 5

),

files as (

    select
        recent.run_number as run,
        validation_results.severity,
        validation_results.table_name,
        validation_results.expectation,
        unnest(from_json(validation_results.unexpected_source_files, '["VARCHAR"]')) as source_file

    from validation_results
    inner join recent on validation_results.run_id = recent.run_id
    where not validation_results.success and validation_results.unexpected_source_files is not null

)

select * from files
order by run desc, severity asc, table_name asc, expectation asc, source_file asc
