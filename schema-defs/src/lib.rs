//! Reference schemas written with the `schema-core` DSL.
//!
//! Each module declares the tables of one application as `#[derive(Table)]` structs and
//! ends with the schema sets that manage them:
//!
//! - [`municipal`]: a multi-tenant municipal administration with a `tenant_id` on every
//!   row, equivalent object for object to `tests/fixtures/municipal.sql`
//!   ([`municipal::Municipal`]);
//! - [`fuel`]: fuel stations run as a service with one PostgreSQL schema per customer,
//!   platform tables in `public` ([`fuel::FuelPlatform`]) and per-tenant tables
//!   ([`fuel::FuelTenant`]);
//! - [`licensing`]: licence pools bought by clients and the seats assigned from them
//!   ([`licensing::Licensing`]);
//! - [`crm`]: customers, their files and notes ([`crm::Crm`]).
//!
//! Together they use most of the DSL: serial, identity and UUID keys, a composite
//! primary key, enums, arrays, partial, expression, GIN and BRIN indexes, table and
//! column checks, comments, soft deletes, timestamps and tenant scoping.

pub mod crm;
pub mod fuel;
pub mod licensing;
pub mod municipal;
