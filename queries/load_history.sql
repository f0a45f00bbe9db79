-- Every load with its counts, newest first.
-- privacy: kind=none
with final as (
    select load_id, kind, format, file_name, rows_read, rows_loaded, rows_rejected, status, finished_at, message
    from loads
    order by load_id desc
)

select * from final
