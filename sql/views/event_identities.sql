-- Grain: one row per event (event_id), with the real-world event it reports (report_key) and
-- the source that reported it. A dated event is its event_key (date, dyad, code). An undated
-- one cannot be told apart from another meeting of the same pair by its key alone, so it ties
-- only to undated reports published the same day, or, when its article states no date, only
-- within its article. The source is the host of the article's url when the input gave one,
-- else the folder of its source_file ('.' for the top of the source folder).
create or replace view event_identities as

with

articles_with_url as (

    -- url is the contract's column; read through the row so the view works before it lands.
    select
        articles.*,
        json_extract_string(to_json(articles), '$.url') as url

    from articles

),

reports as (

    select
        events.event_id,
        events.article_id,
        events.event_key,
        events.event_date,
        articles_with_url.published_at,
        articles_with_url.source_file,
        articles_with_url.url

    from events
    left join articles_with_url on events.article_id = articles_with_url.article_id

),

identified as (

    select
        event_id,
        article_id,
        event_key,
        url,
        case
            when event_date is not null then event_key
            when published_at is not null then event_key || '@' || strftime(published_at, '%Y-%m-%d')
            else event_key || '@' || article_id
        end as report_key,
        coalesce(
            nullif(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1), ''),
            nullif(regexp_extract(source_file, '^(.*)/[^/]*$', 1), ''),
            '.'
        ) as source_name

    from reports

)

select * from identified
