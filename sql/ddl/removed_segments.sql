-- Grain: one row per segment of a page that the cleaner kept out of the body.
create table if not exists removed_segments (
    article_id varchar not null,
    segment_index integer not null,
    kind varchar,
    text varchar,
    primary key (article_id, segment_index)
);
