DROP TABLE books;
DELETE FROM authors WHERE name = 'Ursula K. Le Guin';
