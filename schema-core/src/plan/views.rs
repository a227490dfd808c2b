//! Creating the declared views, after every table, each after the views it reads.

use crate::model::ViewDef;
use crate::step::Step;

/// `views` in an order that creates each after the views of the list it reads (in
/// `default_schema` for those that name no schema); otherwise as declared.
pub(crate) fn creation_order(views: &[ViewDef], default_schema: &str) -> Vec<ViewDef> {
    let mut placed: Vec<ViewDef> = Vec::with_capacity(views.len());
    let mut waiting: Vec<&ViewDef> = views.iter().collect();
    while !waiting.is_empty() {
        let ready = waiting.iter().position(|v| {
            !waiting.iter().any(|other| {
                !std::ptr::eq(*other, *v)
                    && v.reads_relation(
                        other.schema_or(default_schema),
                        &other.name,
                        default_schema,
                    )
            })
        });
        // A cycle cannot be created at all; the server will say so for the first one.
        placed.push(waiting.remove(ready.unwrap_or(0)).clone());
    }
    placed
}

/// The step that creates `view` in its resolved schema.
pub(crate) fn create_view(view: &ViewDef, default_schema: &str) -> Step {
    Step::CreateView {
        schema: view.schema_or(default_schema).to_owned(),
        view: view.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn view(name: &'static str, reads: &'static [Cow<'static, str>]) -> ViewDef {
        ViewDef {
            schema: None,
            name: Cow::Borrowed(name),
            body: Cow::Borrowed("SELECT 1"),
            security_invoker: false,
            reads: Cow::Borrowed(reads),
        }
    }

    #[test]
    fn a_view_comes_after_the_views_it_reads() {
        const TOP: &[Cow<'static, str>] = &[Cow::Borrowed("middle")];
        const MIDDLE: &[Cow<'static, str>] = &[Cow::Borrowed("public.base")];
        const BASE: &[Cow<'static, str>] = &[Cow::Borrowed("customers")];
        let views = [view("top", TOP), view("middle", MIDDLE), view("base", BASE)];
        let order: Vec<_> = creation_order(&views, "public")
            .into_iter()
            .map(|v| v.name)
            .collect();
        assert_eq!(order, ["base", "middle", "top"]);
    }
}
