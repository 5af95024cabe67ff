//! Detached signatures and checksum lists in one read of each file.
//!
//! Each file is read once, in 1 MiB chunks that are shared (not copied) with
//! two hashing threads: SHA-512 for the signature and `SHA512SUMS`, SHA-256
//! for `SHA256SUMS`. Memory stays constant whatever the file's size: the
//! channels are bounded and chunk buffers are reused. Nothing is written
//! until every file of the batch is signed: signatures and checksum lists
//! go to temporary files beside their targets and are renamed into place at
//! the end, so a failure, a cancel or a file that changes while it is read
//! leaves no partial `.asc` behind. Right before those renames every file
//! of the batch is checked again (device, inode, size, modification time),
//! so one replaced after its own read is refused too. Signatures and lists
//! are private (mode 0600); an existing list is read and replaced without
//! following a link, and its lines for the files signed now are replaced
//! whatever the name (`HASH  NAME`, `HASH *NAME`, the escaped `\HASH  NAME`).

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};

use sequoia_openpgp as openpgp;

use openpgp::Packet;
use openpgp::armor;
use openpgp::packet::signature::SignatureBuilder;
use openpgp::serialize::Serialize as _;
use openpgp::types::{HashAlgorithm, SignatureType};
use tempfile::NamedTempFile;

use super::{OpenPgpError, SigningKey};
use crate::adapters::outfile;
use crate::core::model::{Artifact, ArtifactKind};
use crate::core::ports::Watch;

const CHUNK: usize = 1 << 20;
/// Chunks in flight per hashing thread.
const DEPTH: usize = 4;

/// One signed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedFile {
    /// The file.
    pub path: PathBuf,
    /// Its detached signature, `FILE.asc`.
    pub signature: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// Lower-case hex SHA-512.
    pub sha512: String,
}

/// What a signing run wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOutput {
    /// Fingerprint of the certificate that signed.
    pub signer: String,
    /// The signed files, in the order given.
    pub files: Vec<SignedFile>,
    /// The checksum lists written (`SHA256SUMS`, `SHA512SUMS` per directory).
    pub sums: Vec<PathBuf>,
}

impl SignOutput {
    /// The release artifacts this run produced: each file with its
    /// signature, then the checksum lists.
    pub fn artifacts(&self) -> Result<Vec<Artifact>, OpenPgpError> {
        let mut out: Vec<Artifact> = self
            .files
            .iter()
            .map(|f| Artifact {
                path: f.path.display().to_string(),
                kind: ArtifactKind::from_file_name(&f.path.to_string_lossy()),
                size: f.size,
                sha256: f.sha256.clone(),
                signature: Some(f.signature.display().to_string()),
                signer: Some(self.signer.clone()),
            })
            .collect();
        for sums in &self.sums {
            let bytes = std::fs::read(sums).map_err(|e| OpenPgpError::read(sums, e))?;
            out.push(Artifact {
                path: sums.display().to_string(),
                kind: ArtifactKind::Checksums,
                size: bytes.len() as u64,
                sha256: sha256_hex(&bytes)?,
                signature: None,
                signer: None,
            });
        }
        Ok(out)
    }
}

use crate::adapters::hex;

fn sha256_hex(bytes: &[u8]) -> Result<String, OpenPgpError> {
    let mut ctx = HashAlgorithm::SHA256
        .context()
        .map_err(OpenPgpError::crypto)?
        .for_digest();
    ctx.update(bytes);
    Ok(hex(&ctx.into_digest().map_err(OpenPgpError::crypto)?))
}

/// The path `FILE.asc` beside `file`.
pub fn signature_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".asc");
    PathBuf::from(s)
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn sums_name(path: &Path) -> Result<String, OpenPgpError> {
    path.file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.contains(['\n', '\r', '\\']))
        .map(str::to_owned)
        .ok_or_else(|| OpenPgpError::BadName(path.to_owned()))
}

/// Which digest of a signed file a checksum list takes.
type Digest = fn(&SignedFile) -> &str;

/// The checksum lists `sign_files` writes in each directory, with the
/// digest each takes.
const SUMS: [(&str, Digest); 2] = [("SHA256SUMS", |f| &f.sha256), ("SHA512SUMS", |f| &f.sha512)];

/// Sign every file in `files` with `key`, writing `FILE.asc` beside each,
/// and, when `sums` is set, `SHA256SUMS` and `SHA512SUMS` in each file's
/// directory (existing lists are updated: lines for the files signed now
/// are replaced, lines for other files kept). All or nothing: on any error
/// no signature or list is written or changed. Every file is checked again
/// just before anything is renamed into place: one replaced or rewritten
/// after it was read (while a later one was) is refused as
/// [`OpenPgpError::Changed`]. Existing lists are read and replaced without
/// following links; every output is private (mode 0600). Each file's bytes
/// read are reported through [`Watch::item`] (its index in `files`) and
/// the batch's through [`Watch::set`]; a cancel through `watch` stops the
/// run after the chunk being read with [`OpenPgpError::Cancelled`].
pub fn sign_files(
    key: &mut SigningKey,
    files: &[PathBuf],
    sums: bool,
    watch: &dyn Watch,
) -> Result<SignOutput, OpenPgpError> {
    // Fail fast, before reading gigabytes, on a path that cannot work.
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut sizes = Vec::with_capacity(files.len());
    for path in files {
        let meta = std::fs::metadata(path).map_err(|e| OpenPgpError::read(path, e))?;
        if !meta.is_file() {
            return Err(OpenPgpError::NotAFile(path.clone()));
        }
        sizes.push(meta.len());
        File::open(path).map_err(|e| OpenPgpError::read(path, e))?;
        if sums {
            sums_name(path)?;
            let dir = parent(path);
            if !dirs.contains(&dir) {
                for (name, _) in SUMS {
                    read_sums(&dir.join(name))?;
                }
                dirs.push(dir);
            }
        }
    }
    let mut staged: Vec<(NamedTempFile, PathBuf)> = Vec::new();
    let mut signed = Vec::new();
    let mut seen = Vec::new();
    let all = Batch {
        total: sizes.iter().sum(),
        before: 0,
    };
    for (index, path) in files.iter().enumerate() {
        let batch = Batch {
            before: sizes[..index].iter().sum(),
            ..all
        };
        let (tmp, file, meta) = sign_one(key, index, batch, path, watch)?;
        staged.push((tmp, file.signature.clone()));
        signed.push(file);
        seen.push(meta);
    }
    let mut sums_written = Vec::new();
    if sums {
        let mut by_dir: BTreeMap<PathBuf, Vec<&SignedFile>> = BTreeMap::new();
        for f in &signed {
            by_dir.entry(parent(&f.path)).or_default().push(f);
        }
        for (dir, entries) in by_dir {
            for (name, pick) in SUMS {
                let target = dir.join(name);
                let text = merged_sums(&target, &entries, pick)?;
                let mut tmp = temp_beside(&target)?;
                tmp.write_all(&text)
                    .and_then(|()| tmp.as_file().sync_all())
                    .map_err(|e| OpenPgpError::write(&target, e))?;
                staged.push((tmp, target.clone()));
                sums_written.push(target);
            }
        }
    }
    // A file replaced or rewritten after its own read, while a later one
    // was read, would get a signature and checksums of its old bytes.
    for (file, before) in signed.iter().zip(&seen) {
        let now = std::fs::metadata(&file.path).map_err(|e| OpenPgpError::read(&file.path, e))?;
        if !same_file(before, &now) {
            return Err(OpenPgpError::Changed(file.path.clone()));
        }
    }
    for (tmp, target) in staged {
        outfile::persist(tmp, &target, outfile::Existing::Replace)
            .map_err(|e| OpenPgpError::write(&target, e))?;
    }
    Ok(SignOutput {
        signer: key.info.fingerprint.clone(),
        files: signed,
        sums: sums_written,
    })
}

/// The checksum list at `target`, empty when there is none; never read
/// through a link.
fn read_sums(target: &Path) -> Result<Vec<u8>, OpenPgpError> {
    let mut file = match outfile::open_nofollow(target) {
        Ok(Some(f)) => f,
        Ok(None) => return Ok(Vec::new()),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            return Err(OpenPgpError::SumsNotPlain {
                path: target.to_owned(),
                reason: e.to_string(),
            });
        }
        Err(e) => return Err(OpenPgpError::read(target, e)),
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| OpenPgpError::read(target, e))?;
    Ok(bytes)
}

/// The file name a checksum line lists, unescaped: `HASH  NAME` (text
/// mode), `HASH *NAME` (binary mode), either with a leading backslash when
/// the name is escaped (`\\` and `\n`, `\r`), or the tagged
/// `SHA256 (NAME) = HASH`. `None` for a line that is none of them.
fn sums_line_name(line: &[u8]) -> Option<Vec<u8>> {
    let (escaped, rest) = match line.strip_prefix(b"\\") {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let plain = || {
        let hex_len = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        let after = rest[hex_len..].strip_prefix(b" ")?;
        match after.split_first()? {
            (b' ' | b'*', name) if hex_len > 0 => Some(name),
            _ => None,
        }
    };
    // The tagged form: `ALGO (NAME) = HASH`.
    let tagged = || {
        let open = rest.iter().position(|&b| b == b'(')?;
        let algo = &rest[..open];
        if algo.is_empty() || !algo.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
            return None;
        }
        let close = rest.windows(4).rposition(|w| w == b") = ")?;
        rest.get(open + 1..close)
    };
    let name = plain().or_else(tagged)?;
    if name.is_empty() {
        return None;
    }
    if !escaped {
        return Some(name.to_vec());
    }
    let mut out = Vec::with_capacity(name.len());
    let mut bytes = name.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        out.push(match bytes.next()? {
            b'\\' => b'\\',
            b'n' => b'\n',
            b'r' => b'\r',
            _ => return None,
        });
    }
    Some(out)
}

/// The checksum list at `target` with lines for `entries` replaced (every
/// line naming one of them, duplicates included, is dropped) or added.
fn merged_sums(
    target: &Path,
    entries: &[&SignedFile],
    pick: Digest,
) -> Result<Vec<u8>, OpenPgpError> {
    let ours: Vec<(String, &str)> = entries
        .iter()
        .map(|f| Ok((sums_name(&f.path)?, pick(f))))
        .collect::<Result<_, OpenPgpError>>()?;
    let existing = read_sums(target)?;
    let mut text = Vec::with_capacity(existing.len() + ours.len() * 160);
    for line in existing.split(|&b| b == b'\n') {
        let stale =
            sums_line_name(line).is_some_and(|name| ours.iter().any(|(n, _)| n.as_bytes() == name));
        if !line.is_empty() && !stale {
            text.extend_from_slice(line);
            text.push(b'\n');
        }
    }
    for (name, digest) in ours {
        text.extend_from_slice(format!("{digest}  {name}\n").as_bytes());
    }
    Ok(text)
}

fn temp_beside(target: &Path) -> Result<NamedTempFile, OpenPgpError> {
    outfile::temp_beside(target, outfile::PRIVATE).map_err(|e| OpenPgpError::write(target, e))
}

type Chunk = Arc<Vec<u8>>;

/// Where one file stands in its batch, for the whole batch's progress.
#[derive(Clone, Copy)]
struct Batch {
    /// Bytes of the whole batch, as sized before reading.
    total: u64,
    /// Bytes of the files before this one.
    before: u64,
}

fn sign_one(
    key: &mut SigningKey,
    index: usize,
    batch: Batch,
    path: &Path,
    watch: &dyn Watch,
) -> Result<(NamedTempFile, SignedFile, std::fs::Metadata), OpenPgpError> {
    let mut file = File::open(path).map_err(|e| OpenPgpError::read(path, e))?;
    let before = file.metadata().map_err(|e| OpenPgpError::read(path, e))?;
    let total = before.len();
    let v6 = key.signer().public().version() == 6;

    let context = |algo: HashAlgorithm| algo.context().map_err(OpenPgpError::crypto);
    let mut builder = SignatureBuilder::new(SignatureType::Binary);
    let mut sig_ctx = context(HashAlgorithm::SHA512)?.for_signature(if v6 { 6 } else { 4 });
    // A v6 signature hashes a salt before the data, so the plain SHA-512
    // for the checksum list needs its own context; for v4 the signature's
    // context is the plain digest and is cloned before the trailer.
    let mut plain512 = None;
    if v6 {
        let size = HashAlgorithm::SHA512
            .salt_size()
            .map_err(OpenPgpError::crypto)?;
        let mut salt = vec![0; size];
        openpgp::crypto::random(&mut salt).map_err(OpenPgpError::crypto)?;
        sig_ctx.update(&salt);
        builder = builder.set_prefix_salt(salt).0;
        plain512 = Some(context(HashAlgorithm::SHA512)?.for_digest());
    }
    let mut ctx256 = context(HashAlgorithm::SHA256)?.for_digest();

    let (read, sig_ctx, plain512, ctx256) = std::thread::scope(|s| {
        let (tx_a, rx_a) = sync_channel::<Chunk>(DEPTH);
        let (tx_b, rx_b) = sync_channel::<Chunk>(DEPTH);
        let a = std::thread::Builder::new()
            .name("sha512".into())
            .spawn_scoped(s, move || {
                for chunk in rx_a {
                    sig_ctx.update(&chunk);
                    if let Some(p) = plain512.as_mut() {
                        p.update(&chunk);
                    }
                }
                (sig_ctx, plain512)
            })
            .map_err(|e| OpenPgpError::Crypto(format!("cannot start a hashing thread: {e}")))?;
        let b = std::thread::Builder::new()
            .name("sha256".into())
            .spawn_scoped(s, move || {
                for chunk in rx_b {
                    ctx256.update(&chunk);
                }
                ctx256
            })
            .map_err(|e| OpenPgpError::Crypto(format!("cannot start a hashing thread: {e}")))?;
        let read = read_all(&mut file, path, (index, batch), total, watch, [tx_a, tx_b]);
        let hashing_failed = || OpenPgpError::Crypto("a hashing thread failed".into());
        let (sig_ctx, plain512) = a.join().map_err(|_| hashing_failed())?;
        let ctx256 = b.join().map_err(|_| hashing_failed())?;
        Ok::<_, OpenPgpError>((read?, sig_ctx, plain512, ctx256))
    })?;

    // The file must be the same one, unchanged, from first byte to last.
    let after_fd = file.metadata().map_err(|e| OpenPgpError::read(path, e))?;
    let after_path = std::fs::metadata(path).map_err(|e| OpenPgpError::read(path, e))?;
    if read != total || !same_file(&before, &after_fd) || !same_file(&before, &after_path) {
        return Err(OpenPgpError::Changed(path.to_owned()));
    }

    let sha512 = match plain512 {
        Some(p) => p.into_digest(),
        None => sig_ctx.clone().into_digest(),
    }
    .map_err(OpenPgpError::crypto)?;
    let sha256 = ctx256.into_digest().map_err(OpenPgpError::crypto)?;
    let signature = builder
        .sign_hash(key.signer(), sig_ctx)
        .map_err(|e| key.sign_error(e))?;

    let target = signature_path(path);
    let mut tmp = temp_beside(&target)?;
    write_armored(&mut tmp, signature).map_err(|e| OpenPgpError::write(&target, e))?;
    Ok((
        tmp,
        SignedFile {
            path: path.to_owned(),
            signature: target,
            size: total,
            sha256: hex(&sha256),
            sha512: hex(&sha512),
        },
        before,
    ))
}

/// A detached ASCII-armored signature over `data` (a git tag's text, a
/// mail body), as a string.
pub fn sign_bytes(key: &mut SigningKey, data: &[u8]) -> Result<String, OpenPgpError> {
    let signature = SignatureBuilder::new(SignatureType::Binary)
        .sign_message(key.signer(), data)
        .map_err(|e| key.sign_error(e))?;
    let mut out = Vec::new();
    {
        let mut w =
            armor::Writer::new(&mut out, armor::Kind::Signature).map_err(OpenPgpError::crypto)?;
        Packet::from(signature)
            .serialize(&mut w)
            .map_err(OpenPgpError::crypto)?;
        w.finalize().map_err(OpenPgpError::crypto)?;
    }
    String::from_utf8(out).map_err(OpenPgpError::crypto)
}

/// Lends the key's signer to sequoia's streaming signer for one message.
struct Lent<'a>(&'a mut (dyn openpgp::crypto::Signer + Send + Sync));

impl openpgp::crypto::Signer for Lent<'_> {
    fn public(
        &self,
    ) -> &openpgp::packet::Key<
        openpgp::packet::key::PublicParts,
        openpgp::packet::key::UnspecifiedRole,
    > {
        self.0.public()
    }

    fn acceptable_hashes(&self) -> &[HashAlgorithm] {
        self.0.acceptable_hashes()
    }

    fn sign(
        &mut self,
        hash_algo: HashAlgorithm,
        digest: &[u8],
    ) -> openpgp::Result<openpgp::crypto::mpi::Signature> {
        self.0.sign(hash_algo, digest)
    }
}

/// `text` clear-signed (the cleartext signature framework): readable as is,
/// verifiable with `gpg --verify`.
pub fn clearsign(key: &mut SigningKey, text: &str) -> Result<String, OpenPgpError> {
    use openpgp::serialize::stream::{Message, Signer};
    let mut out = Vec::new();
    let result = (|| -> openpgp::Result<()> {
        let message = Message::new(&mut out);
        let mut signer = Signer::new(message, Lent(key.signer_sync()))?
            .cleartext()
            .build()?;
        signer.write_all(text.as_bytes())?;
        signer.finalize()?;
        Ok(())
    })();
    result.map_err(|e| key.sign_error(e))?;
    String::from_utf8(out).map_err(OpenPgpError::crypto)
}

fn write_armored(
    tmp: &mut NamedTempFile,
    signature: openpgp::packet::Signature,
) -> std::io::Result<()> {
    let mut w = armor::Writer::new(&mut *tmp, armor::Kind::Signature)?;
    Packet::from(signature)
        .serialize(&mut w)
        .map_err(std::io::Error::other)?;
    w.finalize()?;
    tmp.as_file().sync_all()
}

fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.len() == b.len()
        && a.ino() == b.ino()
        && a.dev() == b.dev()
        && a.mtime() == b.mtime()
        && a.mtime_nsec() == b.mtime_nsec()
}

/// Read `file` to its end, handing each chunk to every sender; report
/// progress (of the file, item `index`, and of its whole batch) and honour
/// cancellation after each chunk. Returns the bytes read.
fn read_all(
    file: &mut File,
    path: &Path,
    (index, batch): (usize, Batch),
    total: u64,
    watch: &dyn Watch,
    senders: [SyncSender<Chunk>; 2],
) -> Result<u64, OpenPgpError> {
    // Buffers come back once both hashing threads are done with them.
    let mut pool: VecDeque<Chunk> = VecDeque::new();
    let mut done = 0u64;
    let report = |done: u64| {
        watch.item(index, done, total);
        watch.set(batch.before + done, batch.total.max(batch.before + done));
    };
    report(0);
    loop {
        let mut chunk = match pool.front() {
            Some(c) if Arc::strong_count(c) == 1 => pool.pop_front().unwrap_or_default(),
            _ => Arc::new(Vec::with_capacity(CHUNK)),
        };
        let buf = Arc::get_mut(&mut chunk).ok_or_else(|| {
            OpenPgpError::Crypto("internal error: a reused buffer is still shared".into())
        })?;
        buf.resize(CHUNK, 0);
        let n = read_full(file, buf).map_err(|e| OpenPgpError::read(path, e))?;
        buf.truncate(n);
        if n == 0 {
            return Ok(done);
        }
        for tx in &senders {
            tx.send(chunk.clone())
                .map_err(|_| OpenPgpError::Crypto("a hashing thread stopped".into()))?;
        }
        done += n as u64;
        if done > total {
            // Still growing: it is being written to. Stop rather than chase it.
            return Err(OpenPgpError::Changed(path.to_owned()));
        }
        pool.push_back(chunk);
        if pool.len() > 2 * DEPTH + 2 {
            pool.pop_front();
        }
        report(done);
        if watch.is_cancelled() {
            return Err(OpenPgpError::Cancelled);
        }
    }
}

fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::sums_line_name;

    fn name(line: &str) -> Option<String> {
        sums_line_name(line.as_bytes()).map(|n| String::from_utf8(n).expect("utf-8"))
    }

    #[test]
    fn checksum_lines_of_every_form_name_their_file() {
        let h = "ab".repeat(32);
        assert_eq!(name(&format!("{h}  a.tar.gz")).as_deref(), Some("a.tar.gz"));
        assert_eq!(name(&format!("{h} *a.tar.gz")).as_deref(), Some("a.tar.gz"));
        assert_eq!(
            name(&format!("{h}  *a.tar.gz")).as_deref(),
            Some("*a.tar.gz")
        );
        assert_eq!(
            name(&format!("{h}   a.tar.gz")).as_deref(),
            Some(" a.tar.gz")
        );
        assert_eq!(name(&format!("{h} * a")).as_deref(), Some(" a"));
        assert_eq!(
            name(&format!("\\{h}  back\\\\slash\\nline")).as_deref(),
            Some("back\\slash\nline")
        );
        assert_eq!(
            name(&format!("SHA256 (x (1).tar) = {h}")).as_deref(),
            Some("x (1).tar")
        );
        for bad in [
            String::new(),
            "# a comment".into(),
            h.clone(),
            format!("{h} a"),
            format!("{h}  "),
            format!("\\{h}  bad\\qescape"),
        ] {
            assert_eq!(name(&bad), None, "{bad:?}");
        }
    }
}
