-- The digest of the given schemas ($1) as one scalar expression (digest.rs adds the
-- history table's state and the session settings): the hashes of the items of
-- digest_items.sql, summed. A sum does not depend on the order of the rows, so
-- nothing is sorted and no long text is built.
(SELECT pg_catalog.md5(pg_catalog.format('%s %s', count(*), sum(hash)))
FROM (
