-- Grain: one row per CAMEO event code, with its PLOVER type from the CAMEO2PLOVER crosswalk.
create table if not exists cameo_codes (
    cameo_code varchar not null,
    cameo_root varchar,
    label varchar,
    quad_class tinyint,
    goldstein double,
    plover_event varchar,
    plover_mode varchar,
    plover_context varchar,
    primary key (cameo_code)
);
