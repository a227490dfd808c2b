-- Add the column nullable, backfill it, then make it required.
ALTER TABLE books ADD COLUMN isbn varchar(20);
UPDATE books SET isbn = 'unknown-' || id;
ALTER TABLE books ALTER COLUMN isbn SET NOT NULL;
ALTER TABLE books ADD CONSTRAINT books_isbn_key UNIQUE (isbn);
