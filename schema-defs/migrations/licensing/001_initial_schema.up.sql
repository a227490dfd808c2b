-- 001_initial_schema: generated from schema set `Licensing` (schema public); review it before applying.
-- It runs in one transaction: indexes are built and constraints checked in place.

-- missing-table public.clients: table `clients` does not exist
CREATE TABLE "public"."clients" (
    "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "name" character varying(200) NOT NULL,
    "external_ref" character varying(64),
    "contact_email" character varying(255),
    "is_active" boolean NOT NULL DEFAULT true,
    "created_at" timestamp with time zone NOT NULL DEFAULT now(),
    "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT "clients_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "clients_external_ref_key" UNIQUE ("external_ref")
);

-- missing-table public.license_pools: table `license_pools` does not exist
CREATE TABLE "public"."license_pools" (
    "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "client_id" bigint NOT NULL,
    "product" character varying(100) NOT NULL,
    "ordered_licenses" integer NOT NULL,
    "total_licenses" integer NOT NULL,
    "available_licenses" integer NOT NULL,
    "valid_from" date NOT NULL,
    "valid_until" date,
    "created_at" timestamp with time zone NOT NULL DEFAULT now(),
    "updated_at" timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT "license_pools_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "license_pools_ordered_licenses_check" CHECK (ordered_licenses >= 0),
    CONSTRAINT "license_pools_total_licenses_check" CHECK (total_licenses >= 0),
    CONSTRAINT "license_pools_available_licenses_check" CHECK (available_licenses >= 0),
    CONSTRAINT "license_pools_available_within_total_check" CHECK (available_licenses <= total_licenses),
    CONSTRAINT "license_pools_validity_check" CHECK (valid_until IS NULL OR valid_until >= valid_from),
    CONSTRAINT "license_pools_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "public"."clients" ("id") ON DELETE RESTRICT
);
COMMENT ON TABLE "public"."license_pools" IS 'Licences of one product bought by a client; available_licenses counts free seats';
COMMENT ON COLUMN "public"."license_pools"."ordered_licenses" IS 'Licences the client ordered and pays for';
COMMENT ON COLUMN "public"."license_pools"."total_licenses" IS 'Licences the pool grants: the order plus bonus seats or corrections';
COMMENT ON COLUMN "public"."license_pools"."available_licenses" IS 'Seats not assigned: total_licenses minus active assignments';
CREATE INDEX "license_pools_client_id_idx" ON "public"."license_pools" ("client_id");

-- missing-table public.license_assignments: table `license_assignments` does not exist
CREATE TABLE "public"."license_assignments" (
    "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "pool_id" bigint NOT NULL,
    "assignee" character varying(255) NOT NULL,
    "assigned_at" timestamp with time zone NOT NULL DEFAULT now(),
    "revoked_at" timestamp with time zone,
    CONSTRAINT "license_assignments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "license_assignments_pool_id_assignee_key" UNIQUE ("pool_id", "assignee"),
    CONSTRAINT "license_assignments_revoked_after_assigned_check" CHECK (revoked_at IS NULL OR revoked_at >= assigned_at),
    CONSTRAINT "license_assignments_pool_id_fkey" FOREIGN KEY ("pool_id") REFERENCES "public"."license_pools" ("id") ON DELETE CASCADE
);
CREATE INDEX "license_assignments_active_pool_id_idx" ON "public"."license_assignments" ("pool_id") WHERE revoked_at IS NULL;
