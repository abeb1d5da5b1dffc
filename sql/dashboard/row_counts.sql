-- Grain: one row per (run, table): the table's rows after the run.
with

numbered as (

    select
        *,
        row_number() over (order by started_at) as run_number

    from runs

),

counts as (

    select
        numbered.run_number,
        numbered.started_at,
        table_counts.table_name,
        table_counts.count_rows

    from table_counts
    inner join numbered on table_counts.run_id = numbered.run_id

)

select * from counts
order by run_number
