-- Grain: one row per distinct real-world event (event_key: date, dyad, code), with the number
-- of articles reporting it, like GDELT's NumArticles. Count events here, not reports.
create or replace view event_reports as

with

reports as (

    select * from events

),

by_event as (

    select
        event_key,
        any_value(event_date) as event_date,
        any_value(actor1_name) as actor1_name,
        any_value(actor1_country) as actor1_country,
        any_value(actor2_name) as actor2_name,
        any_value(actor2_country) as actor2_country,
        any_value(cameo_code) as cameo_code,
        any_value(quad_class) as quad_class,
        any_value(goldstein) as goldstein,
        bool_or(modality = 'asserted') as is_asserted,
        count(distinct article_id) as count_articles,
        count(*) as count_reports

    from reports
    group by event_key

)

select * from by_event
