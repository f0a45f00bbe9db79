-- The canonical warehouse of docs/warehouse.md. Names are a contract: add, never rename.
create table if not exists schools (
    school_id varchar primary key,
    school_name varchar not null,
    level varchar
);

create table if not exists students (
    student_id varchar primary key,
    last_name varchar,
    first_name varchar
);

create table if not exists enrollments (
    school_year varchar not null,
    student_id varchar not null,
    school_id varchar not null,
    grade_level integer,
    gender varchar,
    race_ethnicity varchar,
    is_ell boolean,
    is_iep boolean,
    is_504 boolean,
    is_econ_disadv boolean,
    load_id integer,
    primary key (school_year, student_id)
);

create table if not exists standards (
    standard_code varchar primary key,
    framework varchar,
    content_area varchar,
    strand varchar,
    continuum_level integer,
    description varchar
);

-- No key: one row is one piece of evidence, and 10M rows load faster without an index.
create table if not exists scores (
    student_id varchar not null,
    school_year varchar not null,
    term varchar,
    assessed_on date,
    school_id varchar,
    course_id varchar,
    section_id varchar,
    teacher_id varchar,
    standard_code varchar not null,
    score double,
    mark varchar,
    assessment_type varchar,
    assessment_name varchar,
    load_id integer
);

create table if not exists survey_items (
    survey_id varchar not null,
    item_id varchar not null,
    item_text varchar,
    construct varchar,
    is_reverse_coded boolean default false,
    scale_points integer,
    primary key (survey_id, item_id)
);

create table if not exists survey_responses (
    survey_id varchar not null,
    wave varchar not null,
    response_id varchar not null,
    item_id varchar not null,
    school_id varchar,
    role varchar,
    value integer,
    comment varchar,
    load_id integer,
    primary key (survey_id, wave, response_id, item_id)
);

create table if not exists survey_invited (
    survey_id varchar not null,
    wave varchar not null,
    school_id varchar not null,
    role varchar not null,
    n_invited integer,
    primary key (survey_id, wave, school_id, role)
);

create table if not exists implementation_ratings (
    school_id varchar not null,
    school_year varchar not null,
    domain varchar not null,
    stage varchar,
    primary key (school_id, school_year, domain)
);

create table if not exists loads (
    load_id integer primary key,
    kind varchar,
    format varchar,
    file_name varchar,
    sha256 varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_rejected bigint,
    status varchar,
    started_at timestamp,
    finished_at timestamp,
    message varchar
);

create table if not exists rejects (
    load_id integer,
    line_number bigint,
    "column" varchar,
    value varchar,
    reason varchar
);

create table if not exists meeting_notes (
    meeting_id varchar primary key,
    school_id varchar,
    team varchar,
    as_of date,
    notice varchar,
    wonder varchar,
    next_steps varchar,
    created_at timestamp
);

create table if not exists warehouse_info (
    key varchar primary key,
    value varchar
);
