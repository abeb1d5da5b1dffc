-- Which articles state no publication date (so their relative event dates stay NULL)?
with

undated as (

    select
        article_id,
        source_file,
        title,
        word_count

    from articles
    where published_at is null

)

select * from undated
order by source_file
