-- Grain: one row per (period, table): the table's rows after the period's last run; the period
-- is a run, day, week or month (views/run_periods.sql).
with

counts as (

    select
        run_periods.period_start,
        table_counts.table_name,
        min(run_periods.run_number) as run_number,
        arg_max(table_counts.count_rows, run_periods.started_at) as count_rows

    from table_counts
    inner join run_periods on table_counts.run_id = run_periods.run_id
    group by run_periods.period_start, table_counts.table_name

)

select * from counts
order by period_start, table_name
