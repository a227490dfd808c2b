//! `baseline`: recording an existing database without running anything.

use schema_core::Target;
use schema_core::migrate::{self, MigrateError, State};

use crate::common::{count, fresh};
use crate::fixtures::{BASIC, exists, history, options, states, status};

#[test]
fn baseline_records_an_existing_database_without_running_anything() {
    let (_db, mut client) = fresh();
    let o = options();
    // A database built before the migrations existed, by hand.
    for version in [1, 2] {
        let sql = &BASIC.get(version).expect("a migration").up;
        client.batch_execute(sql).expect("the schema by hand");
    }
    let report =
        migrate::baseline(&mut client, &BASIC, &Target::default(), &o, 2).expect("baseline");
    assert_eq!((report.versions(), report.version), (vec![1, 2], Some(2)));
    assert_eq!(
        states(&status(&mut client, &BASIC)),
        [
            (1, State::Baselined),
            (2, State::Baselined),
            (3, State::Pending),
            (4, State::Pending)
        ]
    );
    assert_eq!(count(&mut client, "authors"), 1, "nothing ran again");
    assert_eq!(
        migrate::up(&mut client, &BASIC, &Target::default(), &o)
            .expect("up")
            .versions(),
        [3, 4]
    );
    let err = migrate::baseline(&mut client, &BASIC, &Target::default(), &o, 1).unwrap_err();
    assert!(
        matches!(&err, MigrateError::BaselineBelowApplied { newest_applied, .. } if newest_applied.version == 4),
        "{err}"
    );
    let err = migrate::baseline(&mut client, &BASIC, &Target::default(), &o, 99).unwrap_err();
    assert!(matches!(err, MigrateError::UnknownVersion { .. }));
    // A refusal creates nothing, not even a missing history table.
    client
        .batch_execute("ALTER TABLE schema_versions RENAME TO kept_history")
        .expect("the history set aside");
    let err = migrate::baseline(&mut client, &BASIC, &Target::default(), &o, 1).unwrap_err();
    assert!(err.to_string().ends_with("Nothing was changed"), "{err}");
    assert!(!exists(&mut client, "schema_versions"));
    client
        .batch_execute("ALTER TABLE kept_history RENAME TO schema_versions")
        .expect("the history back");
    // Baselined migrations revert like applied ones.
    let all = migrate::down_to(&mut client, &BASIC, &Target::default(), &o, 0).expect("down");
    assert_eq!(all.versions(), [4, 3, 2, 1]);
    assert!(!exists(&mut client, "authors"));
    assert_eq!(
        history(&mut client, "migration")[0],
        (
            "baselined".to_owned(),
            "baseline at version 2: recorded 1, 2 without running".to_owned()
        )
    );
}
