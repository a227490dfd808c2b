//! One side of a comparison: a thread that reads keys and row hashes in key order and
//! hands them over in bounded batches, so memory stays flat however large the table.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use postgres::Transaction;
use postgres::fallible_iterator::FallibleIterator;

use crate::data::key::{Key, KeyValue};

/// A key and the MD5 of its row's compared columns.
pub(crate) type Entry = (Key, [u8; 16]);

/// Rows per batch, and batches in flight per side.
const BATCH: usize = 4096;
const IN_FLIGHT: usize = 4;

type Batch = Result<Vec<Entry>, postgres::Error>;

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
    pub fn next(&mut self) -> Result<Option<Entry>, postgres::Error> {
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

/// Runs `sql` (from [`crate::data::sql::key_hashes`]) and sends its rows; `integer`
/// says which key columns are read as integers. Stops quietly when the merge has gone.
pub(crate) fn read(tx: &mut Transaction, sql: &str, integer: &[bool], out: SyncSender<Batch>) {
    let result = (|| {
        let mut rows = tx.query_raw(sql, std::iter::empty::<i32>())?;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(row) = rows.next()? {
            let key = integer
                .iter()
                .enumerate()
                .map(|(i, &int)| {
                    if int {
                        KeyValue::Int(row.get(i))
                    } else {
                        KeyValue::Text(row.get(i))
                    }
                })
                .collect();
            let mut hash = [0u8; 16];
            let bytes: &[u8] = row.get(integer.len());
            hash[..bytes.len()].copy_from_slice(bytes);
            batch.push((Key(key), hash));
            if batch.len() == BATCH {
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
