-- Grain: one row per quarantined file, with why and where it was stopped.
select
    source_file,
    stage,
    reason,
    size_bytes

from quarantine
order by source_file
