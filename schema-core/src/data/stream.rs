//! One side of a comparison: a thread that reads keys and row hashes in key order and
//! hands them over in bounded batches, so memory stays flat however large the table.
//!
//! The rows arrive as a binary `COPY` of (key columns, two `int8` hashes): no per-row
//! protocol message or row object, only the bytes of the key and 16 bytes of hash.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use postgres::Transaction;

use crate::data::error::DataError;
use crate::data::key::{Key, KeyValue};

/// A key and the 128-bit hash of its row's compared columns.
pub(crate) type Entry = (Key, [u8; 16]);

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

/// Runs `copy` (a `COPY … TO STDOUT (FORMAT binary)` of
/// [`crate::data::sql::key_hashes`]) and sends its rows; `integer` says which key
/// columns are `int8`, the others being text. Stops quietly when the merge has gone.
pub(crate) fn read(tx: &mut Transaction, copy: &str, integer: &[bool], out: SyncSender<Batch>) {
    let result = (|| -> Result<(), ReadError> {
        let mut input = BufReader::with_capacity(1 << 16, tx.copy_out(copy)?);
        header(&mut input)?;
        let mut batch: Vec<Entry> = Vec::with_capacity(BATCH);
        // The merge is exact only on ascending keys: a server that sorted otherwise
        // stops the comparison instead of giving a wrong answer.
        let mut previous: Option<Key> = None;
        while let Some(entry) = tuple(&mut input, integer)? {
            let last = batch.last().map(|e| &e.0).or(previous.as_ref());
            if last.is_some_and(|last| *last >= entry.0) {
                return Err(ReadError::Stream(malformed("keys not in ascending order")));
            }
            batch.push(entry);
            if batch.len() == BATCH {
                previous = batch.last().map(|e| e.0.clone());
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if out.send(Ok(full)).is_err() {
                    return Ok(());
                }
            }
        }
        if !batch.is_empty() {
            let _ = out.send(Ok(batch));
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

/// One tuple: the key columns then the two hashes; `None` at the trailer.
fn tuple(input: &mut impl BufRead, integer: &[bool]) -> io::Result<Option<Entry>> {
    let mut count = [0u8; 2];
    input.read_exact(&mut count)?;
    let count = i16::from_be_bytes(count);
    if count == -1 {
        return Ok(None);
    }
    if count as usize != integer.len() + 2 {
        return Err(malformed("unexpected field count"));
    }
    let mut key = Vec::with_capacity(integer.len());
    for &int in integer {
        let len = field_len(input)?;
        if int {
            let mut bytes = [0u8; 8];
            if len != 8 {
                return Err(malformed("an integer key is not an int8"));
            }
            input.read_exact(&mut bytes)?;
            key.push(KeyValue::Int(i64::from_be_bytes(bytes)));
        } else {
            let mut bytes = vec![0u8; len];
            input.read_exact(&mut bytes)?;
            let text = String::from_utf8(bytes).map_err(|_| malformed("a key is not UTF-8"))?;
            key.push(KeyValue::Text(text));
        }
    }
    let mut hash = [0u8; 16];
    for half in hash.chunks_mut(8) {
        if field_len(input)? != 8 {
            return Err(malformed("a row hash is not an int8"));
        }
        input.read_exact(half)?;
    }
    Ok(Some((Key(key), hash)))
}

/// A field's length; key columns and hashes are never NULL.
fn field_len(input: &mut impl BufRead) -> io::Result<usize> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len)?;
    usize::try_from(i32::from_be_bytes(len)).map_err(|_| malformed("a NULL key or hash"))
}
