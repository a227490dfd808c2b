CREATE TABLE books (
    id serial PRIMARY KEY,
    author_id integer NOT NULL REFERENCES authors (id),
    title text NOT NULL,
    format book_format NOT NULL DEFAULT 'paper'
);
CREATE INDEX books_author_id_idx ON books (author_id);

-- Data belongs in migrations too: a migration that ran twice would insert it twice.
INSERT INTO authors (name) VALUES ('Ursula K. Le Guin');
