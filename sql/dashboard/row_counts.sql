-- Grain: one row per (period, table): the table's rows after the period's last run; the period
-- is a run, day, week or month as the variable dashboard_grain says (history_grain.sql).
with

numbered as (

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

),

counts as (

    select
        numbered.period_start,
        table_counts.table_name,
        min(numbered.run_number) as run_number,
        arg_max(table_counts.count_rows, numbered.started_at) as count_rows

    from table_counts
    inner join numbered on table_counts.run_id = numbered.run_id
    group by numbered.period_start, table_counts.table_name

)

select * from counts
order by period_start, table_name
