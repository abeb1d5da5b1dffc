-- Grain: one row per (quad class, modality): the events coded in it.
with

by_class as (

    select
        quad_class,
        modality,
        case quad_class
            when 1 then 'verbal cooperation'
            when 2 then 'material cooperation'
            when 3 then 'verbal conflict'
            else 'material conflict'
        end as quad_name,
        count(*) as events

    from events
    group by all

)

select
    quad_class,
    quad_name,
    modality,
    events

from by_class
order by quad_class
