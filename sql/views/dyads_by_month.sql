-- Grain: one row per (actor1 country, actor2 country, month) of asserted events.
create or replace view dyads_by_month as

with

asserted as (

    select * from events
    where modality = 'asserted' and event_date is not null

),

dyads as (

    select
        actor1_country,
        actor2_country,
        date_trunc('month', event_date) as event_month,
        count(*) as count_events,
        avg(goldstein) as avg_goldstein

    from asserted
    group by all

)

select * from dyads
