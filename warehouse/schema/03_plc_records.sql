-- PLC meeting records and professional learning (issue 19). Warehouses built before these columns existed
-- gain them here, empty, on the next write connection (`make run` opens one through `etl rebuild`): the old
-- notes keep loading, and what they did not record reads as unknown (null), never as "no".
alter table meeting_notes add column if not exists held_on date;               -- the day the team met (null: as_of)
alter table meeting_notes add column if not exists school_year varchar;
alter table meeting_notes add column if not exists team_type varchar;          -- grade | course
alter table meeting_notes add column if not exists grade_level integer;
alter table meeting_notes add column if not exists course_id varchar;
alter table meeting_notes add column if not exists content_area varchar;
alter table meeting_notes add column if not exists continuum_level integer;
alter table meeting_notes add column if not exists focus_standards varchar[];
alter table meeting_notes add column if not exists participants map(varchar, integer);  -- role -> how many
alter table meeting_notes add column if not exists participant_names varchar[];  -- only when config/district.yaml asks
alter table meeting_notes add column if not exists reviewed_last_next_steps boolean;

-- Professional-learning offerings (python -m etl load learning FILE): one row per offering and role. A
-- re-export replaces the offerings of its school years x schools (etl/replace.py), hence school_year.
create table if not exists learning_offerings (
    offered_on date not null,
    school_year varchar,
    school_id varchar not null,
    mode varchar not null,
    title varchar not null,
    hours double,
    role varchar not null,
    n_participants integer,
    load_id integer,
    primary key (offered_on, school_id, mode, title, role)
);
alter table learning_offerings add column if not exists school_year varchar;
update learning_offerings set school_year = school_year_of(offered_on) where school_year is null;

-- A survey item about one mode of professional learning ("PLC time is useful to me"), from the item map.
alter table survey_items add column if not exists learning_mode varchar;
