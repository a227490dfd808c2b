CREATE TYPE book_format AS ENUM ('paper', 'ebook');

CREATE TABLE authors (
    id serial PRIMARY KEY,
    name text NOT NULL
);
