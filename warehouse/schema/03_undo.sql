-- What `python -m etl undo LOAD_ID` needs to put the warehouse back as it was before a load
-- (etl/undo.py). Each load that writes one of the small tables keeps a copy of that table as it
-- was before the load; scores carry their load_id and need no copy.
create table if not exists undo_touched (
    load_id integer,
    table_name varchar,
    other_scores_before bigint,   -- scores of other loads before this load: a load that replaced some
    other_scores_after bigint     -- of them (a refresh) cannot be undone by deleting its own rows
);
-- The status of every other load before this one: a load that replaces rows marks earlier loads
-- `replaced` / `partly replaced` (etl/load.py), and undo puts their status back.
create table if not exists undo_load_statuses (
    load_id integer,
    other_load_id integer,
    status varchar
);
create table if not exists undo_snapshot_schools as select null::integer as undo_load_id, * from schools limit 0;
create table if not exists undo_snapshot_students as select null::integer as undo_load_id, * from students limit 0;
create table if not exists undo_snapshot_enrollments as select null::integer as undo_load_id, * from enrollments limit 0;
create table if not exists undo_snapshot_standards as select null::integer as undo_load_id, * from standards limit 0;
create table if not exists undo_snapshot_survey_items as select null::integer as undo_load_id, * from survey_items limit 0;
create table if not exists undo_snapshot_survey_responses as select null::integer as undo_load_id, * from survey_responses limit 0;
create table if not exists undo_snapshot_survey_invited as select null::integer as undo_load_id, * from survey_invited limit 0;
create table if not exists undo_snapshot_implementation_ratings as select null::integer as undo_load_id, * from implementation_ratings limit 0;
create table if not exists undo_snapshot_learning_offerings as select null::integer as undo_load_id, * from learning_offerings limit 0;
