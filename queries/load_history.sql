-- Every load with its counts, newest first, and what it replaced (etl/replace.py).
-- privacy: kind=none
with final as (
    select load_id, kind, format, file_name, rows_read, rows_loaded, rows_rejected, status, replace_scope,
        rows_replaced, rows_added, rows_changed, rows_removed, finished_at, message
    from loads
    order by load_id desc
)

select * from final
