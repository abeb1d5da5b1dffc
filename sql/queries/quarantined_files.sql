-- Which input files were not loaded, and why?
with

quarantined as (

    select
        source_file,
        stage,
        reason,
        size_bytes

    from quarantine

)

select * from quarantined
order by source_file
