-- Grain: one row per (run, table): the table's rows after the run, for history charts.
create table if not exists table_counts (
    run_id varchar not null,
    table_name varchar not null,
    count_rows bigint,
    primary key (run_id, table_name)
);
