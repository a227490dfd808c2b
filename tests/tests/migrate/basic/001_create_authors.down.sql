DROP TABLE authors;
DROP TYPE book_format;
