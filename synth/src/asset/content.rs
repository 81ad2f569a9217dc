//! The content fingerprint of one file, `<size>:<sha256 hex>`, exactly as
//! `contentFingerprintMiss` in aws-cdk-lib's `core/lib/fs/fingerprint.js`
//! (2.276.0) computes it.
//!
//! The CDK reads a file in 8 KiB chunks (`BUFFER_SIZE`) and:
//! - decides "binary" when a chunk read while `size` is still 0 contains a NUL
//!   byte (normally the first chunk; again for the next chunk when the first
//!   ended in CR, since such a chunk adds nothing to `size`). Binary chunks are
//!   hashed as they are and counted in `size`.
//! - otherwise decodes each chunk on its own as UTF-8 (`Buffer#toString`:
//!   invalid or split sequences become U+FFFD), and when the decoded chunk
//!   ends with `\r`, carries it over to be prepended to the next chunk without
//!   hashing it yet. Other chunks are the carried text plus their own, with
//!   every `\r\n` replaced by `\n`, re-encoded as UTF-8, hashed and counted.
//! - at the end hashes any text still carried (a file whose last chunk ends in
//!   `\r`) raw — its CRLFs not normalized — and does not count it in `size`.
//!
//! We read with a large buffer and split it into the same 8 KiB chunks. A chunk
//! that is valid UTF-8 and holds no `\r` (with nothing carried) decodes and
//! re-encodes to its own bytes, so runs of such chunks are hashed directly;
//! only the other chunks take the decode and normalize path.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// The CDK's chunk size, `BUFFER_SIZE` in `fingerprint.js`.
const CHUNK: usize = 8 * 1024;
/// Our read size: a whole number of chunks, so chunk boundaries stay at
/// multiples of 8 KiB in the file.
const READ: usize = 64 * CHUNK;

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The running state of `contentFingerprintMiss`.
struct ContentHasher {
    hash: Sha256,
    /// `size`: bytes counted so far (see the module docs for what is not).
    size: u64,
    /// `isBinary`.
    binary: bool,
    /// `lastStr`, as UTF-8: decoded chunks that ended in `\r`.
    carried: String,
    /// Reused buffer for a chunk with its CRLFs normalized.
    normalized: Vec<u8>,
}

impl ContentHasher {
    fn new() -> Self {
        Self {
            hash: Sha256::new(),
            size: 0,
            binary: false,
            carried: String::new(),
            normalized: Vec::new(),
        }
    }

    /// Feeds `data`, which starts at a chunk boundary of the file and is a
    /// whole number of chunks unless it ends the file.
    fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.size == 0 {
                // Binary detection happens on this chunk: take the exact path.
                let (chunk, rest) = data.split_at(data.len().min(CHUNK));
                self.chunk(chunk);
                data = rest;
            } else if self.binary {
                self.hash.update(data);
                self.size += data.len() as u64;
                return;
            } else {
                let plain = if self.carried.is_empty() {
                    plain_prefix(data)
                } else {
                    0
                };
                if plain > 0 {
                    self.hash.update(&data[..plain]);
                    self.size += plain as u64;
                    data = &data[plain..];
                } else {
                    let (chunk, rest) = data.split_at(data.len().min(CHUNK));
                    self.chunk(chunk);
                    data = rest;
                }
            }
        }
    }

    /// One chunk, exactly as the loop body of `contentFingerprintMiss`.
    fn chunk(&mut self, chunk: &[u8]) {
        if self.size == 0 {
            self.binary = memchr::memchr(0, chunk).is_some();
        }
        if self.binary {
            self.size += chunk.len() as u64;
            self.hash.update(chunk);
            return;
        }
        let text = String::from_utf8_lossy(chunk);
        if text.ends_with('\r') {
            self.carried.push_str(&text);
            return;
        }
        if self.carried.is_empty() {
            replace_crlf(text.as_bytes(), &mut self.normalized);
        } else {
            self.carried.push_str(&text);
            replace_crlf(self.carried.as_bytes(), &mut self.normalized);
            self.carried.clear();
        }
        self.size += self.normalized.len() as u64;
        self.hash.update(&self.normalized);
    }

    fn finish(mut self) -> String {
        if !self.carried.is_empty() {
            // `lastStr && hash.update(Buffer.from(lastStr))`: not normalized,
            // not counted in `size`.
            self.hash.update(self.carried.as_bytes());
        }
        format!("{}:{}", self.size, hex(&self.hash.finalize()))
    }
}

/// `data.replace(/\r\n/g, '\n')` into `out`: drops each `\r` followed by `\n`,
/// left to right (so `\r\r\n` becomes `\r\n`).
fn replace_crlf(data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\r', data) {
        if data.get(i + 1) == Some(&b'\n') {
            out.extend_from_slice(&data[start..i]);
            start = i + 1;
        }
    }
    out.extend_from_slice(&data[start..]);
}

/// The length of the longest prefix of `data` made of whole chunks (the last
/// one may be short) that are each valid UTF-8 on their own and hold no `\r`:
/// the CDK hashes those bytes unchanged.
fn plain_prefix(data: &[u8]) -> usize {
    let mut end = 0;
    for chunk in data.chunks(CHUNK) {
        if memchr::memchr(b'\r', chunk).is_some() || std::str::from_utf8(chunk).is_err() {
            break;
        }
        end += chunk.len();
    }
    end
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A read buffer for [`content_fingerprint`], reused from file to file.
#[derive(Default)]
pub(crate) struct ReadBuffer(Vec<u8>);

/// `<size>:<sha256 hex>` of the file at `path` (symlinks followed), as the
/// CDK's `contentFingerprint`.
pub(crate) fn content_fingerprint(path: &Path, buf: &mut ReadBuffer) -> io::Result<String> {
    let mut file = File::open(path)?;
    if buf.0.len() != READ {
        buf.0 = vec![0u8; READ];
    }
    let buf = &mut buf.0;
    let mut state = ContentHasher::new();
    loop {
        let n = read_full(&mut file, buf)?;
        state.feed(&buf[..n]);
        if n < buf.len() {
            break;
        }
    }
    Ok(state.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunk-by-chunk reference: every chunk through [`ContentHasher::chunk`].
    fn reference(data: &[u8]) -> String {
        let mut state = ContentHasher::new();
        for chunk in data.chunks(CHUNK) {
            state.chunk(chunk);
        }
        state.finish()
    }

    fn fast(data: &[u8]) -> String {
        let mut state = ContentHasher::new();
        for block in data.chunks(READ) {
            state.feed(block);
        }
        state.finish()
    }

    fn sha(data: &[u8]) -> String {
        hex(&Sha256::digest(data))
    }

    #[test]
    fn replace_crlf_is_left_to_right() {
        let mut out = Vec::new();
        replace_crlf(b"a\r\r\nb\r\n\r", &mut out);
        assert_eq!(out, b"a\r\nb\n\r");
    }

    #[test]
    fn empty_file() {
        assert_eq!(fast(b""), format!("0:{}", sha(b"")));
    }

    #[test]
    fn crlf_is_normalized_and_counted_after_normalizing() {
        assert_eq!(fast(b"a\r\nb\r\n"), format!("4:{}", sha(b"a\nb\n")));
    }

    #[test]
    fn binary_is_hashed_raw() {
        assert_eq!(fast(b"a\0\r\n"), format!("4:{}", sha(b"a\0\r\n")));
    }

    #[test]
    fn trailing_cr_at_end_of_file_is_hashed_but_not_counted() {
        assert_eq!(fast(b"a\r\nb\r"), format!("0:{}", sha(b"a\r\nb\r")));
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(
            fast(b"a\xffb"),
            format!("5:{}", sha("a\u{fffd}b".as_bytes()))
        );
    }

    #[test]
    fn a_character_split_at_8k_becomes_two_replacement_characters() {
        let mut data = vec![b'a'; CHUNK - 1];
        data.extend("é".as_bytes());
        data.extend(b"z");
        let mut expected = vec![b'a'; CHUNK - 1];
        expected.extend("\u{fffd}\u{fffd}z".as_bytes());
        assert_eq!(
            fast(&data),
            format!("{}:{}", expected.len(), sha(&expected))
        );
    }

    #[test]
    fn fast_path_agrees_with_the_chunk_loop() {
        let mut cases: Vec<Vec<u8>> = Vec::new();
        let text: Vec<u8> = b"line of text\n"
            .iter()
            .copied()
            .cycle()
            .take(3 * READ + 17)
            .collect();
        cases.push(text.clone());
        let mut crlf_at_boundary = text.clone();
        crlf_at_boundary[CHUNK - 1] = b'\r';
        crlf_at_boundary[CHUNK] = b'\n';
        cases.push(crlf_at_boundary.clone());
        let mut cr_end_first = text.clone();
        cr_end_first[CHUNK - 1] = b'\r';
        cr_end_first[CHUNK + 5] = 0;
        cases.push(cr_end_first);
        let mut split_char = text.clone();
        split_char[READ - 1] = 0xc3;
        split_char[READ] = 0xa9;
        cases.push(split_char);
        let mut late_nul = text.clone();
        late_nul[2 * CHUNK] = 0;
        cases.push(late_nul);
        let mut binary = text;
        binary[3] = 0;
        cases.push(binary);
        let mut ends_cr = crlf_at_boundary;
        if let Some(last) = ends_cr.last_mut() {
            *last = b'\r';
        }
        cases.push(ends_cr);
        for (i, case) in cases.iter().enumerate() {
            assert_eq!(fast(case), reference(case), "case {i}");
        }
    }
}
