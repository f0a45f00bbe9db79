-- How many PLC meetings are saved and when the latest was saved: the PLC system page's cache key for meeting figures.
-- privacy: kind=none
--
-- Meeting notes are saved between loads without changing the warehouse's data version (warehouse/meeting_notes.py),
-- so the page keys its cached meeting queries on this as well. Scoped to the viewer's schools.
with final as (
    select count(*) as n_meetings, max(created_at) as last_saved_at
    from meeting_notes
    where $school_ids is null or list_contains($school_ids, school_id)
)

select * from final
