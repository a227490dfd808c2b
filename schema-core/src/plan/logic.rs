//! Creating the declared functions and triggers, after the tables they belong to.

use crate::catalog::Catalog;
use crate::model::{SchemaFunction, TriggerDef};
use crate::step::Step;

/// The step that creates (or replaces) `f`, its schema resolved.
pub(crate) fn create_function(f: &SchemaFunction, default_schema: &str) -> Step {
    Step::CreateFunction {
        schema: f.schema.as_deref().unwrap_or(default_schema).to_owned(),
        name: f.name.clone(),
        body: f.body.clone(),
    }
}

/// `t` with both of its schemas spelled out.
pub(crate) fn resolved_trigger(t: &TriggerDef, default_schema: &str) -> TriggerDef {
    let resolve = |s: &Option<crate::model::Text>| {
        Some(
            s.clone()
                .unwrap_or_else(|| default_schema.to_owned().into()),
        )
    };
    TriggerDef {
        schema: resolve(&t.schema),
        function_schema: resolve(&t.function_schema),
        ..t.clone()
    }
}

/// Every function of `catalog`, then every trigger (a trigger needs its function), then
/// every view in creation order.
pub fn create_logic(catalog: &Catalog, default_schema: &str) -> Vec<Step> {
    let functions = catalog
        .functions
        .iter()
        .map(|f| create_function(f, default_schema));
    let triggers = catalog.triggers.iter().map(|t| Step::CreateTrigger {
        trigger: resolved_trigger(t, default_schema),
    });
    let views = catalog
        .views
        .iter()
        .map(|v| super::views::create_view(v, default_schema));
    functions.chain(triggers).chain(views).collect()
}
