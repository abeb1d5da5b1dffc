-- Which actors act most often in asserted events, and how cooperative are they?
with

asserted as (

    select * from events
    where modality = 'asserted'

),

by_actor as (

    select
        actor1_name as actor,
        actor1_country as country,
        count(*) as count_events,
        round(avg(goldstein), 2) as avg_goldstein

    from asserted
    where actor1_id is not null
    group by all

)

select * from by_actor
order by count_events desc, actor asc
limit 20
