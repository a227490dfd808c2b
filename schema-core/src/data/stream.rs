//! One side of a comparison: a thread that reads keys and row hashes in key order and
//! hands them over in bounded batches, so memory stays flat however large the table.
//!
//! The rows arrive as a binary `COPY`: of (key columns, `int8` hash) per row, or packed
//! as arrays of those, a chunk of rows per `COPY` row ([`Layout`]). Either way no row
//! object is built, only the key and its 8 bytes of hash.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use postgres::Transaction;

use crate::data::error::DataError;
use crate::data::key::{Key, KeyValue};

/// A key and the 64-bit hash of its row's compared columns.
pub(crate) type Entry = (MergeKey, u64);

/// A key as the merge compares it. A key of one integer column, the common case, is
/// held without an allocation; both sides of a table hold the same variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum MergeKey {
    Int(i64),
    Any(Key),
}

impl MergeKey {
    fn new(values: Vec<KeyValue>) -> MergeKey {
        match values.as_slice() {
            [KeyValue::Int(n)] => MergeKey::Int(*n),
            _ => MergeKey::Any(Key(values)),
        }
    }

    /// The key as reported.
    pub fn into_key(self) -> Key {
        match self {
            MergeKey::Int(n) => Key(vec![KeyValue::Int(n)]),
            MergeKey::Any(key) => key,
        }
    }
}

/// How a side's `COPY` lays out its keys and hashes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Layout<'a> {
    /// [`crate::data::sql::key_hashes`]: a `COPY` row per table row; `integer` says
    /// which key columns are `int8`, the others being text.
    Rows { integer: &'a [bool] },
    /// [`crate::data::sql::key_hash_chunks`]: an `int8[]` per key column and one of
    /// hashes per `COPY` row.
    Chunks { key_columns: usize },
}

/// Rows per batch, and batches in flight per side.
const BATCH: usize = 4096;
const IN_FLIGHT: usize = 4;

type Batch = Result<Vec<Entry>, ReadError>;

/// Why one side's stream stopped.
#[derive(Debug)]
pub(crate) enum ReadError {
    Database(postgres::Error),
    /// The `COPY` data could not be read or was not as the query shapes it.
    Stream(io::Error),
}

impl ReadError {
    /// As a [`DataError`] of `side` (`"source"` or `"target"`).
    pub fn on(self, side: &'static str) -> DataError {
        match self {
            ReadError::Database(e) if side == "source" => DataError::source(e),
            ReadError::Database(e) => DataError::target(e),
            ReadError::Stream(e) => DataError::Read {
                side,
                message: e.to_string(),
            },
        }
    }
}

impl From<postgres::Error> for ReadError {
    fn from(e: postgres::Error) -> Self {
        ReadError::Database(e)
    }
}

impl From<io::Error> for ReadError {
    /// The copy reader wraps the server's errors in `io::Error`: unwrap them again.
    fn from(e: io::Error) -> Self {
        if !e
            .get_ref()
            .is_some_and(|inner| inner.is::<postgres::Error>())
        {
            return ReadError::Stream(e);
        }
        match e
            .into_inner()
            .map(|inner| inner.downcast::<postgres::Error>())
        {
            Some(Ok(database)) => ReadError::Database(*database),
            Some(Err(other)) => ReadError::Stream(io::Error::other(other)),
            None => ReadError::Stream(io::ErrorKind::Other.into()),
        }
    }
}

/// The receiving end: entries in key order, and how many were read.
pub(crate) struct Stream {
    rx: Receiver<Batch>,
    batch: std::vec::IntoIter<Entry>,
    pub rows: u64,
}

/// A channel for one side's reader.
pub(crate) fn channel() -> (SyncSender<Batch>, Stream) {
    let (tx, rx) = sync_channel(IN_FLIGHT);
    let stream = Stream {
        rx,
        batch: Vec::new().into_iter(),
        rows: 0,
    };
    (tx, stream)
}

impl Stream {
    /// The next entry; `Ok(None)` at the end.
    pub fn next(&mut self) -> Result<Option<Entry>, ReadError> {
        loop {
            if let Some(entry) = self.batch.next() {
                self.rows += 1;
                return Ok(Some(entry));
            }
            match self.rx.recv() {
                Ok(batch) => self.batch = batch?.into_iter(),
                // The reader finished (or stopped after sending its error).
                Err(_) => return Ok(None),
            }
        }
    }
}

/// Batches one side's entries for the merge.
struct Sender<'a> {
    batch: Vec<Entry>,
    /// The last key of the batch sent before.
    previous: Option<MergeKey>,
    out: &'a SyncSender<Batch>,
}

impl Sender<'_> {
    /// Adds an entry; `false` once the merge has gone. The merge is exact only on
    /// ascending keys: a server that sorted otherwise stops the comparison instead of
    /// giving a wrong answer.
    fn push(&mut self, entry: Entry) -> Result<bool, ReadError> {
        let last = self.batch.last().map(|e| &e.0).or(self.previous.as_ref());
        if last.is_some_and(|last| *last >= entry.0) {
            return Err(ReadError::Stream(malformed("keys not in ascending order")));
        }
        self.batch.push(entry);
        if self.batch.len() < BATCH {
            return Ok(true);
        }
        self.previous = self.batch.last().map(|e| e.0.clone());
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        Ok(self.out.send(Ok(full)).is_ok())
    }

    fn push_all(&mut self, entries: Vec<Entry>) -> Result<bool, ReadError> {
        for entry in entries {
            if !self.push(entry)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Sends what is left.
    fn finish(self) {
        if !self.batch.is_empty() {
            let _ = self.out.send(Ok(self.batch));
        }
    }
}

/// Runs `copy`, laid out as `layout` says, and sends its entries. Stops quietly when
/// the merge has gone.
pub(crate) fn read(tx: &mut Transaction, copy: &str, layout: Layout, out: SyncSender<Batch>) {
    let result = (|| -> Result<(), ReadError> {
        if let Layout::Chunks { .. } = layout {
            // Each chunk must be the next rows of the index, never a sort of the rows
            // a filter chose through another index: that would sort them per chunk.
            tx.batch_execute("SET LOCAL enable_sort = off")?;
        }
        let mut input = BufReader::with_capacity(1 << 16, tx.copy_out(copy)?);
        header(&mut input)?;
        let mut sender = Sender {
            batch: Vec::with_capacity(BATCH),
            previous: None,
            out: &out,
        };
        let mut going = true;
        while going {
            going = match layout {
                Layout::Rows { integer } => match tuple(&mut input, integer)? {
                    Some(entry) => sender.push(entry)?,
                    None => false,
                },
                Layout::Chunks { key_columns } => match chunk(&mut input, key_columns)? {
                    Some(entries) => sender.push_all(entries)?,
                    None => false,
                },
            };
        }
        sender.finish();
        drop(input);
        if let Layout::Chunks { .. } = layout {
            tx.batch_execute("RESET enable_sort")?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = out.send(Err(e));
    }
}

fn malformed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("binary COPY: {what}"))
}

/// The binary `COPY` header: signature, flags, and an extension area to skip.
fn header(input: &mut impl BufRead) -> io::Result<()> {
    let mut fixed = [0u8; 19];
    input.read_exact(&mut fixed)?;
    if &fixed[..11] != b"PGCOPY\n\xff\r\n\0" {
        return Err(malformed("bad signature"));
    }
    let extension = u32::from_be_bytes(fixed[15..19].try_into().unwrap());
    io::copy(&mut input.take(u64::from(extension)), &mut io::sink())?;
    Ok(())
}

/// One tuple: the key columns then the hash; `None` at the trailer.
fn tuple(input: &mut impl BufRead, integer: &[bool]) -> io::Result<Option<Entry>> {
    if !fields(input, integer.len() + 1)? {
        return Ok(None);
    }
    let mut key = Vec::with_capacity(integer.len());
    for &int in integer {
        let len = field_len(input)?;
        if int {
            if len != 8 {
                return Err(malformed("an integer key is not an int8"));
            }
            key.push(KeyValue::Int(read_i64(input)?));
        } else {
            let mut bytes = vec![0u8; len];
            input.read_exact(&mut bytes)?;
            let text = String::from_utf8(bytes).map_err(|_| malformed("a key is not UTF-8"))?;
            key.push(KeyValue::Text(text));
        }
    }
    if field_len(input)? != 8 {
        return Err(malformed("a row hash is not an int8"));
    }
    let hash = read_i64(input)? as u64;
    Ok(Some((MergeKey::new(key), hash)))
}

/// One chunk: an `int8[]` per key column, then the hashes; `None` at the trailer.
fn chunk(input: &mut impl BufRead, key_columns: usize) -> io::Result<Option<Vec<Entry>>> {
    if !fields(input, key_columns + 1)? {
        return Ok(None);
    }
    let columns: Vec<Vec<i64>> = (0..=key_columns)
        .map(|_| int8_array(input))
        .collect::<io::Result<_>>()?;
    let rows = columns[0].len();
    if columns.iter().any(|c| c.len() != rows) {
        return Err(malformed("a chunk's arrays differ in length"));
    }
    let (keys, hashes) = columns.split_at(key_columns);
    let key = |i: usize| match keys {
        [only] => MergeKey::Int(only[i]),
        _ => MergeKey::Any(Key(keys.iter().map(|k| KeyValue::Int(k[i])).collect())),
    };
    Ok(Some(
        (0..rows).map(|i| (key(i), hashes[0][i] as u64)).collect(),
    ))
}

/// A tuple's field count, checked: `false` at the trailer.
fn fields(input: &mut impl BufRead, expected: usize) -> io::Result<bool> {
    let mut count = [0u8; 2];
    input.read_exact(&mut count)?;
    let count = i16::from_be_bytes(count);
    if count == -1 {
        return Ok(false);
    }
    if count as usize != expected {
        return Err(malformed("unexpected field count"));
    }
    Ok(true)
}

/// A one-dimensional `int8[]` without NULLs, in the binary array format: dimensions,
/// a NULL flag, the element type, each dimension's length and lower bound, then each
/// element's length and bytes.
fn int8_array(input: &mut impl BufRead) -> io::Result<Vec<i64>> {
    field_len(input)?;
    let mut head = [0u8; 12];
    input.read_exact(&mut head)?;
    let dimensions = i32::from_be_bytes(head[0..4].try_into().unwrap());
    if dimensions != 1 {
        return Err(malformed("a chunk's array is not one-dimensional"));
    }
    let mut bounds = [0u8; 8];
    input.read_exact(&mut bounds)?;
    let len = usize::try_from(i32::from_be_bytes(bounds[0..4].try_into().unwrap()))
        .map_err(|_| malformed("a negative array length"))?;
    let mut values = Vec::with_capacity(len);
    for _ in 0..len {
        if field_len(input)? != 8 {
            return Err(malformed("an array element is not an int8"));
        }
        values.push(read_i64(input)?);
    }
    Ok(values)
}

fn read_i64(input: &mut impl BufRead) -> io::Result<i64> {
    let mut bytes = [0u8; 8];
    input.read_exact(&mut bytes)?;
    Ok(i64::from_be_bytes(bytes))
}

/// A field's length; key columns, hashes and array elements are never NULL.
fn field_len(input: &mut impl BufRead) -> io::Result<usize> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len)?;
    usize::try_from(i32::from_be_bytes(len)).map_err(|_| malformed("a NULL key or hash"))
}
