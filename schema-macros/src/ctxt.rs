//! Error collection: every stage reports into one [`Ctxt`] so a user sees all their
//! mistakes in one build instead of one per build.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// Collects errors; [`Ctxt::check`] turns them into one combined `syn::Error`.
///
/// Dropping a `Ctxt` without calling `check` is a bug in this crate (errors would be
/// lost silently), so it panics then, as serde's does.
pub struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Reports `message` at `span`.
    pub fn error(&self, span: Span, message: impl Display) {
        self.syn_error(syn::Error::new(span, message));
    }

    /// Reports `message` over the whole of `tokens` (first to last token).
    pub fn error_spanned_by(&self, tokens: impl ToTokens, message: impl Display) {
        self.syn_error(syn::Error::new_spanned(tokens, message));
    }

    /// Reports an error produced by syn's parser.
    pub fn syn_error(&self, error: syn::Error) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(error);
        }
    }

    /// Whether any error has been reported so far.
    pub fn has_errors(&self) -> bool {
        self.errors.borrow().as_ref().is_some_and(|e| !e.is_empty())
    }

    /// Consumes the context: `Ok` when nothing was reported, else all errors combined.
    pub fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for rest in errors {
            combined.combine(rest);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("schema-macros: Ctxt dropped without check()");
        }
    }
}

/// `"\nhelp: did you mean `x`?"` when a known word is a likely typo of `word`, else `""`.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let best = known
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        // About one edit per three characters: close enough to be a typo.
        .filter(|&(distance, candidate)| distance <= candidate.chars().count().div_ceil(3))
        .min_by_key(|&(distance, _)| distance);
    match best {
        Some((_, candidate)) => format!("\nhelp: did you mean `{candidate}`?"),
        None => String::new(),
    }
}

/// `` `a`, `b`, `c` `` for "expected one of" lists.
pub fn backticked<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    words
        .into_iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Edit distance counting a swap of two neighbours as one edit (`emial` → `email`);
/// inputs are short attribute and column names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // d[i][j]: distance between the first i chars of a and the first j chars of b.
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["name", "schema", "soft_delete", "sql_type"];
        assert_eq!(
            did_you_mean("soft_delet", keys),
            "\nhelp: did you mean `soft_delete`?"
        );
        assert_eq!(
            did_you_mean("sql_typ", keys),
            "\nhelp: did you mean `sql_type`?"
        );
        assert_eq!(
            did_you_mean("emial", ["email"]),
            "\nhelp: did you mean `email`?"
        );
        assert_eq!(did_you_mean("frobnicate", keys), "");
    }
}
