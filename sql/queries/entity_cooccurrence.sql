-- Which people, organisations and places are named together in the same articles?
with

mentioned as (

    select distinct
        entity_mentions.article_id,
        entities.entity_id,
        entities.name,
        entities.type

    from entity_mentions
    inner join entities on entity_mentions.entity_id = entities.entity_id
    where entities.type in ('PERSON', 'ORG', 'LOC')

),

pairs as (

    select
        left_side.name as entity_a,
        right_side.name as entity_b,
        count(*) as count_articles

    from mentioned as left_side
    inner join mentioned as right_side
        on
            left_side.article_id = right_side.article_id
            and left_side.entity_id < right_side.entity_id
    group by all

)

select * from pairs
order by count_articles desc, entity_a asc, entity_b asc
limit 25
