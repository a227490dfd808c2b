//! What may follow a type's name in parentheses.

/// The modifier of a built-in type, as the model holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// No parentheses: unbounded `varchar`, unconstrained `numeric`, and every type
    /// that takes none.
    None,
    /// `varchar(n)`, `char(n)`.
    Length(u32),
    /// `numeric(precision, scale)`.
    Precision(u16, u16),
}

/// What a built-in type's parentheses hold, a column of the [`Kind`](crate::Kind) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// Nothing: `integer(3)` is some other type.
    Nothing,
    /// An optional length: `varchar(n)`, unbounded without one.
    Length,
    /// A length that is always there: a bare `char` is `char(1)`, and `format_type`
    /// always prints the length.
    FixedLength,
    /// An optional precision and scale: `numeric(p, s)`, `numeric(p)` with scale 0.
    Precision,
    /// Fractional-second digits after the short name (`timestamptz(3)`). The model has
    /// no place for them: such a type is other text, spelled as `format_type` prints it.
    Seconds,
}
