-- Grain: one row per event, with what the export formats (flows/transforms/exports.py) need
-- from its article, from the run that loaded it and from the real-world event it reports.
with

loads as (

    select
        source_files.article_id,
        max(runs.started_at) as loaded_at

    from source_files
    inner join runs on source_files.last_changed_run_id = runs.run_id
    where source_files.status = 'loaded'
    group by source_files.article_id

),

story as (

    select
        entity_mentions.article_id,
        array_to_string(list_sort(list_distinct(list(entities.name) filter (where entities.type = 'PERSON'))), ';') as story_people,
        array_to_string(list_sort(list_distinct(list(entities.name) filter (where entities.type = 'ORG'))), ';') as story_organizations,
        array_to_string(list_sort(list_distinct(list(entities.name) filter (where entities.type = 'LOC'))), ';') as story_locations

    from entity_mentions
    inner join entities on entity_mentions.entity_id = entities.entity_id
    group by entity_mentions.article_id

),

exported as (

    select
        events.*,
        articles.source_file,
        articles.title,
        articles.published_at,
        articles.body,
        event_identities.url,
        loads.loaded_at,
        event_reports.count_reports,
        event_reports.count_articles,
        event_reports.count_sources,
        story.story_people,
        story.story_organizations,
        story.story_locations

    from events
    inner join articles on events.article_id = articles.article_id
    inner join event_identities on events.event_id = event_identities.event_id
    inner join event_reports on event_identities.report_key = event_reports.report_key
    left join loads on events.article_id = loads.article_id
    left join story on events.article_id = story.article_id

)

select * from exported
order by event_date nulls last, event_id
