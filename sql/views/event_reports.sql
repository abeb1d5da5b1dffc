-- Grain: one row per distinct real-world event (report_key, see event_identities), with the
-- number of articles and of distinct sources reporting it, like GDELT's NumArticles and
-- NumSources. Count events here, not reports.
create or replace view event_reports as

with

reports as (

    select
        events.*,
        event_identities.report_key,
        event_identities.source_name

    from events
    inner join event_identities on events.event_id = event_identities.event_id

),

by_event as (

    select
        report_key,
        any_value(event_key) as event_key,
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
        count(distinct source_name) as count_sources,
        count(*) as count_reports

    from reports
    group by report_key

)

select * from by_event
