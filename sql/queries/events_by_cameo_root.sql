-- How are events spread over CAMEO root codes and quad classes?
with

asserted as (

    select * from events
    where modality = 'asserted'

),

by_root as (

    select
        quad_class,
        cameo_root,
        count(*) as count_events,
        count(distinct event_key) as count_distinct_events

    from asserted
    group by all

)

select * from by_root
order by quad_class, cameo_root
