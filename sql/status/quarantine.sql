-- Grain: one row per quarantined file, by source folder and path.
select
    quarantine.source_root,
    quarantine.source_file,
    quarantine.stage,
    quarantine.reason

from quarantine
order by quarantine.source_root, quarantine.source_file
