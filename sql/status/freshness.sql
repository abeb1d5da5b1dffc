-- Grain: one row: the last completed run and the newest publication date in the warehouse.
with

last_completed as (

    select
        runs.run_id,
        runs.finished_at

    from runs
    where runs.status = 'completed'
    order by runs.finished_at desc
    limit 1

),

newest as (

    select max(articles.published_at) as newest_published_at

    from articles

),

freshness as (

    select
        last_completed.run_id as last_completed_run_id,
        last_completed.finished_at as last_completed_at,
        newest.newest_published_at,
        (select count(*) from articles) as count_articles,
        (select count(*) from events) as count_events

    from newest
    left join last_completed on true

)

select * from freshness
