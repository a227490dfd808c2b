//! Reference cycles between new tables: the key that closes a cycle is added after the
//! tables, and only such a key is described as closing one.

use schema_core::diff::{ChangeKind, diff};
use schema_core::plan::Step;
use schema_core::{Catalog, ExpectedSchema, SchemaSet, Table, schema_set};

/// Not in the cycle, but first by name: it references a table that is.
#[derive(Table)]
#[table(name = "audits")]
pub struct Audit {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Person)]
    pub person_id: i32,
}

#[derive(Table)]
#[table(name = "people")]
pub struct Person {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Team)]
    pub team_id: Option<i32>,
}

#[derive(Table)]
#[table(name = "teams")]
pub struct Team {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Person)]
    pub lead_id: Option<i32>,
}

// `people` and `teams` reference each other; `audits` only points into the cycle.
schema_set!(pub WithCycle = [Audit, Person, Team]);

// The same references as a chain, with the cycle-closing key left out.
#[derive(Table)]
#[table(name = "teams")]
pub struct LeaderlessTeam {
    #[column(primary_key, serial)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "people")]
pub struct TeamMember {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = LeaderlessTeam)]
    pub team_id: Option<i32>,
}

#[derive(Table)]
#[table(name = "audits")]
pub struct MemberAudit {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = TeamMember)]
    pub person_id: i32,
}

schema_set!(pub WithoutCycle = [MemberAudit, TeamMember, LeaderlessTeam]);

/// The foreign keys a diff against an empty database adds after the tables, with the
/// reason it gives.
fn deferred_keys(expected: &ExpectedSchema) -> Vec<(String, String)> {
    diff(&expected.catalog(), &Catalog::default(), "public")
        .into_iter()
        .filter(|c| c.kind == ChangeKind::MissingForeignKey)
        .map(|c| (c.object, c.detail))
        .collect()
}

/// The tables and deferred keys of the creation plan, in order.
fn plan_order(expected: &ExpectedSchema) -> Vec<String> {
    expected
        .plan()
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::CreateTable { table, .. } => Some(table.name.to_string()),
            Step::AddForeignKey { fk, .. } => Some(format!("+{}", fk.name)),
            _ => None,
        })
        .collect()
}

#[test]
fn only_the_key_that_closes_a_cycle_is_deferred() {
    assert_eq!(
        deferred_keys(&WithCycle::EXPECTED_SCHEMA),
        [(
            "public.people.people_team_id_fkey".to_owned(),
            "closes a reference cycle between new tables".to_owned()
        )]
    );
    assert_eq!(
        plan_order(&WithCycle::EXPECTED_SCHEMA),
        ["people", "audits", "teams", "+people_team_id_fkey"]
    );
}

#[test]
fn a_chain_defers_no_key() {
    assert!(deferred_keys(&WithoutCycle::EXPECTED_SCHEMA).is_empty());
    assert_eq!(
        plan_order(&WithoutCycle::EXPECTED_SCHEMA),
        ["teams", "people", "audits"]
    );
}

#[schema_core::test]
fn a_schema_with_a_cycle_syncs(client: &mut postgres::Client) {
    let report = schema_core::sync::<WithCycle>(client).unwrap();
    assert_eq!(report.outcome, schema_core::Outcome::Applied, "{report}");
    assert!(schema_core::is_up_to_date::<WithCycle>(client).unwrap());
}
