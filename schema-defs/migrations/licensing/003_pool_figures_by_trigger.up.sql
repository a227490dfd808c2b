-- The database keeps the pool figures from now on: total_licenses follows the order and
-- available_licenses the active assignments, by trigger; clients and pools keep
-- updated_at current by trigger too. The bodies are the ones `licensing.rs` declares, so
-- that sync finds nothing to replace afterwards.

CREATE OR REPLACE FUNCTION "public"."license_pool_assignments"() RETURNS trigger LANGUAGE plpgsql AS $function$
DECLARE
    pool bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.pool_id = OLD.pool_id
       AND (NEW.revoked_at IS NULL) = (OLD.revoked_at IS NULL) THEN
        RETURN NULL;
    END IF;
    FOR pool IN
        SELECT DISTINCT p FROM unnest(ARRAY[
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.pool_id END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.pool_id END]) AS p
        WHERE p IS NOT NULL ORDER BY p
    LOOP
        EXECUTE format('UPDATE %I.license_pools SET available_licenses = 0 WHERE id = $1',
                       TG_TABLE_SCHEMA)
        USING pool;
    END LOOP;
    RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION "public"."license_pool_figures"() RETURNS trigger LANGUAGE plpgsql AS $function$
DECLARE
    active integer;
BEGIN
    NEW.total_licenses := NEW.ordered_licenses;
    EXECUTE format(
        'SELECT count(*) FROM %I.license_assignments WHERE pool_id = $1 AND revoked_at IS NULL',
        TG_TABLE_SCHEMA)
    INTO active
    USING NEW.id;
    NEW.available_licenses := NEW.total_licenses - active;
    RETURN NEW;
END
$function$;

CREATE OR REPLACE FUNCTION "public"."touch_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$function$;

CREATE OR REPLACE TRIGGER "touch_updated_at" BEFORE UPDATE ON "public"."clients" FOR EACH ROW EXECUTE FUNCTION "public"."touch_updated_at"();

CREATE OR REPLACE TRIGGER "pool_assignments" AFTER INSERT OR UPDATE OR DELETE ON "public"."license_assignments" FOR EACH ROW EXECUTE FUNCTION "public"."license_pool_assignments"();

CREATE OR REPLACE TRIGGER "pool_figures" BEFORE INSERT OR UPDATE ON "public"."license_pools" FOR EACH ROW EXECUTE FUNCTION "public"."license_pool_figures"();

CREATE OR REPLACE TRIGGER "touch_updated_at" BEFORE UPDATE ON "public"."license_pools" FOR EACH ROW EXECUTE FUNCTION "public"."touch_updated_at"();

-- Existing pools get their figures derived once: rewriting a row fires pool_figures.
UPDATE "public"."license_pools" SET available_licenses = 0;

COMMENT ON COLUMN "public"."license_pools"."total_licenses" IS 'Licences the pool grants: the order, kept by the pool_figures trigger';
COMMENT ON COLUMN "public"."license_pools"."available_licenses" IS 'Seats not assigned: total_licenses minus active assignments, kept by triggers';
