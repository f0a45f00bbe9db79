-- Rejected rows by load and reason, with the first line numbers, so a data lead can fix the file.
-- privacy: kind=none
with final as (
    select
        r.load_id,
        l.file_name,
        r."column",
        r.reason,
        count(*) as n_rows,
        list(r.line_number order by r.line_number)[1:5] as first_lines
    from rejects as r
    join loads as l using (load_id)
    group by all
    order by r.load_id desc, n_rows desc
)

select * from final
