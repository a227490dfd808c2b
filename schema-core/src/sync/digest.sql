-- The digest of the given schemas ($1) as one scalar expression (digest.rs adds the
-- history table's state and the session settings): the items of digest_items.sql,
-- each hashed on its own (64 bits), the hashes summed. A sum does not depend on the
-- order of the rows, so nothing is sorted and no long text is built.
(SELECT pg_catalog.md5(pg_catalog.format('%s %s', count(*),
                                         sum(pg_catalog.hashtextextended(item, 0))))
FROM (
