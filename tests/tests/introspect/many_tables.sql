-- `fixture.tables` tables shaped like a typical application table, in schema "many".
CREATE SCHEMA many;
CREATE TYPE many.state AS ENUM ('a', 'b');
DO $$
BEGIN
    FOR i IN 1..current_setting('fixture.tables')::integer LOOP
        EXECUTE format(
            'CREATE TABLE many.t%1$s (
                 id serial PRIMARY KEY,
                 parent integer REFERENCES many.t%1$s (id) ON DELETE CASCADE,
                 name varchar(50) NOT NULL UNIQUE,
                 state many.state NOT NULL DEFAULT %2$L,
                 score numeric(5,2) CHECK (score >= 0),
                 tags text[],
                 created timestamptz NOT NULL DEFAULT now()
             )', i, 'a');
        EXECUTE format('CREATE INDEX t%1$s_created_idx ON many.t%1$s (created) WHERE score > 0', i);
        EXECUTE format('COMMENT ON TABLE many.t%1$s IS %2$L', i, 'table ' || i);
    END LOOP;
END
$$;
