-- 001_initial_schema (down): reverses the up file, last change first.

DROP TABLE "public"."license_assignments";
DROP TABLE "public"."license_pools";
DROP TABLE "public"."clients";
