-- Boards and the cards on them.
CREATE TABLE boards (
    id serial PRIMARY KEY,
    name varchar(80) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cards (
    id serial PRIMARY KEY,
    board_id integer NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    title text NOT NULL,
    sort_order integer NOT NULL DEFAULT 0
);
