//! `#[column(sql_type = "...")]` must fit the field's Rust type: a type that
//! implements [`SqlTyped`] is read from and written to its [`SqlTyped::SQL_TYPE`] and
//! the types in [`SqlTyped::ALSO_ACCEPTS`], and to nothing else, so an override naming
//! another type would fail only when rows are read or written. The derive writes
//!
//! ```ignore
//! const _: () = if let Some(message) = misfit(Fit::<Field>::ACCEPTED, "character varying", false, ..) {
//!     panic!("{}", message.as_str())
//! };
//! ```
//!
//! spanned on the `sql_type` string, so the build fails there with the list of the types
//! the field accepts. A field type without `SqlTyped` takes its column type from the
//! override alone and is not checked: `Fit::<T>::ACCEPTED` then resolves to the
//! [`Unchecked`] trait's `None` (an inherent constant is chosen over a trait's only when
//! its bounds hold).

use std::borrow::Cow;
use std::marker::PhantomData;

use crate::__private::{Message, str_eq};
use crate::model::SqlType;
use crate::table::SqlTyped;
use schema_sql_types::Kind;

/// What a field type accepts, for [`misfit`].
pub struct Accepted {
    sql_type: &'static SqlType,
    also: &'static [&'static str],
    array: bool,
}

/// Names the field type in `Fit::<T>::ACCEPTED`.
pub struct Fit<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized + SqlTyped> Fit<T> {
    const SQL_TYPE: &'static SqlType = &T::SQL_TYPE;
    pub const ACCEPTED: Option<Accepted> = Some(Accepted {
        sql_type: Self::SQL_TYPE,
        also: T::ALSO_ACCEPTS,
        array: T::ARRAY,
    });
}

/// The answer for field types without [`SqlTyped`]: anything goes.
pub trait Unchecked {
    const ACCEPTED: Option<Accepted> = None;
}

impl<T: ?Sized> Unchecked for Fit<T> {}

/// The error message when an override of base type `base` (as `format_type` prints it,
/// without modifiers; `array` when it ends in `[]`) does not fit the field type named
/// `rust`, whose `sql_type = "{written}"` it is.
pub const fn misfit(
    accepted: Option<Accepted>,
    base: &str,
    array: bool,
    rust: &str,
    written: &str,
) -> Option<Message> {
    let Some(accepted) = accepted else {
        return None;
    };
    let own = base_name(accepted.sql_type);
    let mut fits = str_eq(own, base);
    let mut i = 0;
    while i < accepted.also.len() {
        fits = fits || str_eq(accepted.also[i], base);
        i += 1;
    }
    if fits && array == accepted.array {
        return None;
    }
    let message = Message::new()
        .push("`sql_type = \"")
        .push(written)
        .push("\"` does not fit the field type `")
        .push(rust)
        .push("`\n");
    if fits {
        let message = message.push("help: `").push(rust);
        return Some(if accepted.array {
            message.push("` is an array: end the `sql_type` in `[]`")
        } else {
            message.push("` is not an array: remove the `[]`")
        });
    }
    let mut message = message
        .push("help: `")
        .push(rust)
        .push("` is read from and written to `")
        .push(own);
    let mut i = 0;
    while i < accepted.also.len() {
        message = message.push("`, `").push(accepted.also[i]);
        i += 1;
    }
    message = message.push("`");
    if accepted.array {
        message = message.push(" arrays");
    }
    Some(message.push(
        "; change the `sql_type` or the field's type\n\
         note: a type of your own lists the SQL types it accepts in `SqlTyped::ALSO_ACCEPTS`",
    ))
}

/// The type's name as `format_type` prints it, without modifiers.
const fn base_name(sql_type: &SqlType) -> &str {
    let kind = match sql_type {
        SqlType::Boolean => Kind::Boolean,
        SqlType::SmallInt => Kind::SmallInt,
        SqlType::Integer => Kind::Integer,
        SqlType::BigInt => Kind::BigInt,
        SqlType::Real => Kind::Real,
        SqlType::DoublePrecision => Kind::DoublePrecision,
        SqlType::Numeric(_) => Kind::Numeric,
        SqlType::Text => Kind::Text,
        SqlType::Varchar(_) => Kind::Varchar,
        SqlType::Char(_) => Kind::Char,
        SqlType::Bytea => Kind::Bytea,
        SqlType::Date => Kind::Date,
        SqlType::Time => Kind::Time,
        SqlType::TimeTz => Kind::TimeTz,
        SqlType::Timestamp => Kind::Timestamp,
        SqlType::TimestampTz => Kind::TimestampTz,
        SqlType::Interval => Kind::Interval,
        SqlType::Uuid => Kind::Uuid,
        SqlType::Json => Kind::Json,
        SqlType::Jsonb => Kind::Jsonb,
        SqlType::Inet => Kind::Inet,
        SqlType::Cidr => Kind::Cidr,
        SqlType::MacAddr => Kind::MacAddr,
        SqlType::Enum(def) => return cow_str(&def.name),
        SqlType::Other(name) => return before_parenthesis(cow_str(name)),
    };
    kind.name()
}

/// `&**text`, which `const` code cannot write: `Deref` is not `const`.
#[allow(clippy::ptr_arg)]
const fn cow_str<'a>(text: &'a Cow<'static, str>) -> &'a str {
    match text {
        Cow::Borrowed(text) => text,
        Cow::Owned(text) => text.as_str(),
    }
}

/// `vector(3)` → `vector`.
const fn before_parenthesis(name: &str) -> &str {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'(' {
            return match core::str::from_utf8(bytes.split_at(i).0) {
                Ok(base) => base,
                Err(_) => name,
            };
        }
        i += 1;
    }
    name
}
