-- Grain: one row: the articles, how many have at least one entity and at least one event, and
-- the files in quarantine.
select
    count(*) as articles,
    count(*) filter (where articles.article_id in (select entity_mentions.article_id from entity_mentions)) as with_entities,
    count(*) filter (where articles.article_id in (select events.article_id from events)) as with_events,
    (select count(*) from quarantine) as quarantined_files

from articles
