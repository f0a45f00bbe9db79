-- When the data behind the public release was loaded: the latest load of each kind (the release is rebuilt
-- with every load), without file names or reject counts.
-- privacy: kind=none
with ranked as (
    select *, row_number() over (partition by kind order by load_id desc) as recency
    from loads
    where status = 'loaded'
),

final as (
    select load_id, kind, finished_at
    from ranked
    where recency = 1
    order by finished_at desc
)

select * from final
