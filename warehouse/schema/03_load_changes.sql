-- What each load replaced (etl/replace.py): added to docs/warehouse.md's loads, never renamed.
-- target_table: the canonical table the load wrote its main rows to; replace_scope: the scope in words
-- ("2025-26, sections 3A, 3B", or "append"); rows_*: rows of earlier loads in that scope, and how many of
-- the file's rows were new, changed or gone, matched on the table's natural key.
alter table loads add column if not exists target_table varchar;
alter table loads add column if not exists replace_scope varchar;
alter table loads add column if not exists rows_replaced bigint;
alter table loads add column if not exists rows_added bigint;
alter table loads add column if not exists rows_changed bigint;
alter table loads add column if not exists rows_removed bigint;

-- A roster's changed demographics: per load, school year and demographic (race_ethnicity, is_ell, is_iep,
-- is_504, is_econ_disadv, gender), the students whose enrollment had another value before it.
create table if not exists load_demographic_changes (
    load_id integer,
    school_year varchar,
    demographic varchar,
    n_students bigint
);
