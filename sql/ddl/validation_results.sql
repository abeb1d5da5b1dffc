-- Grain: one row per expectation evaluated in a run.
create table if not exists validation_results (
    run_id varchar not null,
    table_name varchar not null,
    expectation varchar not null,
    severity varchar,
    success boolean,
    observed_value varchar,
    unexpected_count bigint,
    unexpected_examples varchar,
    unexpected_source_files varchar,
    primary key (run_id, table_name, expectation)
);
