-- The figures go back to being the application's job; their values stay as they are.
DROP TRIGGER "touch_updated_at" ON "public"."license_pools";
DROP TRIGGER "pool_figures" ON "public"."license_pools";
DROP TRIGGER "pool_assignments" ON "public"."license_assignments";
DROP TRIGGER "touch_updated_at" ON "public"."clients";
DROP FUNCTION "public"."touch_updated_at"();
DROP FUNCTION "public"."license_pool_figures"();
DROP FUNCTION "public"."license_pool_assignments"();
COMMENT ON COLUMN "public"."license_pools"."total_licenses" IS 'Licences the pool grants: the order plus bonus seats or corrections';
COMMENT ON COLUMN "public"."license_pools"."available_licenses" IS 'Seats not assigned: total_licenses minus active assignments';
