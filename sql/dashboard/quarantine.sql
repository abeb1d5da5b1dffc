-- Grain: one row per quarantined file, with why and where it was stopped: the first 200 by
-- path (coverage.sql counts them all).
select
    quarantine.source_file,
    quarantine.stage,
    quarantine.reason,
    quarantine.size_bytes

from quarantine
order by quarantine.source_file
limit 200
