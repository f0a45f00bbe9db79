-- The latest load of each kind: what was loaded, when, and how much was rejected.
-- privacy: kind=none
with ranked as (
    select *, row_number() over (partition by kind order by load_id desc) as recency
    from loads
    where status = 'loaded'
),

final as (
    select load_id, kind, format, file_name, rows_read, rows_loaded, rows_rejected, finished_at
    from ranked
    where recency = 1
    order by finished_at desc
)

select * from final
