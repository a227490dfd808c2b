DROP TABLE cards;
DROP TABLE boards;
