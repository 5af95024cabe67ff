//! Release tarballs from a commit's tree, made in process and reproducible:
//! the tar stream is laid out exactly as `git archive --prefix=P/` writes it
//! (pax global header with the commit ID, ustar headers with git's modes,
//! uid/gid 0 and owner `root`, mtime = the commit's time, entries in tree
//! order, long paths in pax extended headers, the stream padded to 10240
//! bytes), so the `.tar` and the `.tar.gz` (zlib, level 6, OS byte 3) are
//! byte-identical to git's. The `.tar.bz2` and `.tar.xz` hold the same tar.
//! The tar is produced once and fanned out in chunks to one thread per
//! format, which compress in parallel (xz itself on every core, in blocks). `export-ignore` in `.gitattributes`
//! files of the tree is honoured.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};

use git2::{Commit, FileMode, ObjectType, Oid, Repository, Tree};
use globset::{Glob, GlobSet, GlobSetBuilder};

use super::GitError;
use crate::core::model::{TarballFormat, safe_file_name};
use crate::core::ports::Watch;

/// git's `tar.umask` default.
const UMASK: u32 = 0o002;
const BLOCK: usize = 512;
const RECORD: usize = 10240;
const CHUNK: usize = 1 << 20;

type Chunk = Arc<Vec<u8>>;

/// Writes the tar stream in chunks to every consumer thread, reporting the
/// bytes of tar produced (of about `expected`) for each output file and
/// stopping when the watcher cancels.
struct FanOut<'w> {
    buf: Vec<u8>,
    senders: Vec<SyncSender<Chunk>>,
    written: u64,
    expected: u64,
    watch: &'w dyn Watch,
}

impl FanOut<'_> {
    fn flush_chunk(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        if self.watch.is_cancelled() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "cancelled",
            ));
        }
        let chunk: Chunk = Arc::new(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.written += chunk.len() as u64;
        for tx in &self.senders {
            tx.send(chunk.clone())
                .map_err(|_| std::io::Error::other("a compressor stopped"))?;
        }
        self.report();
        Ok(())
    }

    fn report(&self) {
        let total = self.expected.max(self.written);
        for index in 0..self.senders.len() {
            self.watch.item(index, self.written, total);
        }
        self.watch.set(self.written, total);
    }
}

impl Write for FanOut<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush_chunk()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.flush_chunk()
    }
}

/// Counts the bytes written, to pad the stream as git does.
struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(data)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The file name of `base` in `format`.
pub fn file_name(base: &str, format: TarballFormat) -> String {
    format!("{base}{}", format.extension())
}

/// Write `base.tar*` in `formats` into `out_dir` from `commit`'s tree, with
/// `base/` as the prefix of every path. Files appear only when complete
/// (written to temporaries, renamed at the end). `watch` gets the bytes of
/// tar produced so far, for each output file (its index in `formats`,
/// through [`Watch::item`]) and for the whole (through [`Watch::set`]), of
/// a total estimated from the tree's blob sizes; when it cancels, the run
/// stops with [`GitError::Cancelled`] and no file or temporary is left. A
/// `base` that is not one plain file name ([`safe_file_name`]) is refused
/// before anything is written.
pub fn write_tarballs(
    repo: &Repository,
    commit: &Commit<'_>,
    base: &str,
    formats: &[TarballFormat],
    out_dir: &Path,
    watch: &dyn Watch,
) -> Result<Vec<PathBuf>, GitError> {
    // The base is the top directory inside the tarball and the start of
    // each file name: neither may leave its directory.
    safe_file_name(base)?;
    let tree = commit.tree()?;
    let time = commit.time().seconds().max(0) as u64;
    let prefix = format!("{base}/");
    let targets: Vec<PathBuf> = formats
        .iter()
        .map(|f| Ok(out_dir.join(safe_file_name(&file_name(base, *f))?)))
        .collect::<Result<_, GitError>>()?;
    for t in &targets {
        if t.exists() {
            return Err(GitError::Exists(t.clone()));
        }
    }
    std::fs::create_dir_all(out_dir).map_err(|e| GitError::io(out_dir, e))?;
    let expected = tar_size_estimate(repo, &tree)?;

    let made = std::thread::scope(|s| {
        let mut senders = Vec::new();
        let mut workers = Vec::new();
        for (format, target) in formats.iter().zip(&targets) {
            let (tx, rx) = sync_channel::<Chunk>(4);
            senders.push(tx);
            // Private (0600) from the first byte, like the project.
            let tmp =
                crate::adapters::outfile::temp_beside(target, crate::adapters::outfile::PRIVATE)
                    .map_err(|e| GitError::io(target, e))?;
            let format = *format;
            workers.push(
                s.spawn(move || -> std::io::Result<tempfile::NamedTempFile> {
                    let file = tmp.reopen()?;
                    let mut w = compressor(format, std::io::BufWriter::new(file))?;
                    for chunk in rx {
                        w.write_all(&chunk)?;
                    }
                    let mut inner = w.finish()?;
                    inner.flush()?;
                    inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                    Ok(tmp)
                }),
            );
        }
        let fan = FanOut {
            buf: Vec::with_capacity(CHUNK),
            senders,
            written: 0,
            expected,
            watch,
        };
        fan.report();
        let mut out = Counting {
            inner: fan,
            count: 0,
        };
        let written = write_tar(repo, &tree, commit.id(), time, &prefix, &mut out)
            .and_then(|()| out.flush().map_err(|e| GitError::io(out_dir, e)));
        if written.is_ok() {
            // The estimate is done with: the bars end at the tar's size.
            out.inner.expected = out.inner.written;
            out.inner.report();
        }
        drop(out);
        let mut done = Vec::new();
        for (worker, target) in workers.into_iter().zip(&targets) {
            match worker.join() {
                Ok(Ok(tmp)) => done.push((tmp, target.clone())),
                Ok(Err(e)) => return Err(GitError::io(target, e)),
                Err(_) => {
                    return Err(GitError::io(
                        target,
                        std::io::Error::other("the compressor failed"),
                    ));
                }
            }
        }
        if written.is_err() && watch.is_cancelled() {
            return Err(GitError::Cancelled);
        }
        written?;
        let mut paths = Vec::new();
        for (tmp, target) in done {
            crate::adapters::outfile::persist(
                tmp,
                &target,
                crate::adapters::outfile::Existing::Keep,
            )
            .map_err(|e| GitError::io(&target, e))?;
            paths.push(target);
        }
        Ok(paths)
    })?;
    Ok(made)
}

/// About how many bytes of tar `tree` makes: its blobs' sizes, each with
/// a header and padded to whole blocks, and a header per directory (the
/// progress total; `export-ignore` is not subtracted).
fn tar_size_estimate(repo: &Repository, tree: &Tree<'_>) -> Result<u64, GitError> {
    let odb = repo.odb()?;
    let mut total = 3 * BLOCK as u64;
    let mut failed = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        total += BLOCK as u64;
        if entry.kind() == Some(ObjectType::Blob) {
            match odb.read_header(entry.id()) {
                Ok((size, _)) => total += (size as u64).div_ceil(BLOCK as u64) * BLOCK as u64,
                Err(e) => {
                    failed = Some(e);
                    return git2::TreeWalkResult::Abort;
                }
            }
        }
        git2::TreeWalkResult::Ok
    })?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(total.div_ceil(RECORD as u64) * RECORD as u64),
    }
}

/// A writer that compresses (or not) and gives back its inner writer.
trait Finish: Write + Send {
    fn finish(self: Box<Self>) -> std::io::Result<std::io::BufWriter<std::fs::File>>;
}

impl Finish for std::io::BufWriter<std::fs::File> {
    fn finish(self: Box<Self>) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        Ok(*self)
    }
}

impl Finish for flate2::write::GzEncoder<std::io::BufWriter<std::fs::File>> {
    fn finish(self: Box<Self>) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        (*self).finish()
    }
}

impl Finish for bzip2::write::BzEncoder<std::io::BufWriter<std::fs::File>> {
    fn finish(self: Box<Self>) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        (*self).finish()
    }
}

impl Finish for liblzma::write::XzEncoder<std::io::BufWriter<std::fs::File>> {
    fn finish(self: Box<Self>) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        (*self).finish()
    }
}

fn compressor(
    format: TarballFormat,
    w: std::io::BufWriter<std::fs::File>,
) -> std::io::Result<Box<dyn Finish>> {
    Ok(match format {
        TarballFormat::Tar => Box::new(w),
        // git's internal gzip: zlib, level 6, no name, mtime 0, OS "Unix".
        TarballFormat::Gz => Box::new(
            flate2::GzBuilder::new()
                .operating_system(3)
                .write(w, flate2::Compression::new(6)),
        ),
        TarballFormat::Bz2 => Box::new(bzip2::write::BzEncoder::new(w, bzip2::Compression::best())),
        TarballFormat::Xz => Box::new(liblzma::write::XzEncoder::new_stream(w, xz_stream()?)),
    })
}

/// xz at preset 6, compressed by as many threads as there are cores in
/// independent blocks of a fixed size: xz is the slowest of the formats, so
/// it takes the cores the others leave idle once they finish. The output
/// depends on the block size only, not on the number of threads, so the
/// `.tar.xz` stays reproducible from one machine to another.
fn xz_stream() -> std::io::Result<liblzma::stream::Stream> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    liblzma::stream::MtStreamBuilder::new()
        .preset(6)
        .check(liblzma::stream::Check::Crc64)
        .block_size(XZ_BLOCK)
        .threads(u32::try_from(threads).unwrap_or(1))
        .encoder()
        .map_err(std::io::Error::other)
}

/// The xz block size: each block is compressed on its own thread.
const XZ_BLOCK: u64 = 8 << 20;

/// `export-ignore` patterns of one `.gitattributes` file.
struct Ignores {
    /// The directory (relative, with trailing `/` unless root) it applies to.
    dir: String,
    /// Patterns with a slash: matched against the path below `dir`.
    anchored: GlobSet,
    /// Patterns without a slash: matched against the base name.
    names: GlobSet,
}

impl Ignores {
    fn parse(dir: &str, text: &str) -> Self {
        let mut anchored = GlobSetBuilder::new();
        let mut names = GlobSetBuilder::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(pattern) = parts.next() else {
                continue;
            };
            if !parts.any(|a| a == "export-ignore") {
                continue;
            }
            let (pattern, is_anchored) = match pattern.strip_prefix('/') {
                Some(p) => (p, true),
                None => (pattern, pattern.contains('/')),
            };
            let pattern = pattern.trim_end_matches('/');
            let Ok(glob) = Glob::new(pattern) else {
                continue;
            };
            if is_anchored {
                anchored.add(glob);
            } else {
                names.add(glob);
            }
        }
        Self {
            dir: dir.to_owned(),
            anchored: anchored.build().unwrap_or_else(|_| GlobSet::empty()),
            names: names.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    fn ignores(&self, path: &str, name: &str) -> bool {
        let Some(below) = path.strip_prefix(&self.dir) else {
            return false;
        };
        self.anchored.is_match(below) || self.names.is_match(name)
    }
}

fn write_tar(
    repo: &Repository,
    tree: &Tree<'_>,
    commit: Oid,
    time: u64,
    prefix: &str,
    out: &mut Counting<FanOut<'_>>,
) -> Result<(), GitError> {
    let io = |e: std::io::Error| GitError::Archive(e.to_string());
    // The global header names the commit, as git's does.
    let comment = pax_record("comment", commit.to_string().as_bytes());
    write_header(
        out,
        "pax_global_header",
        b'g',
        0o100666,
        comment.len() as u64,
        time,
        b"",
        None,
    )
    .map_err(io)?;
    write_blocked(out, &comment).map_err(io)?;
    // The prefix directory itself, with the root tree's ID.
    write_entry(out, tree.id(), prefix, 0o040777, b"", time).map_err(io)?;
    let mut stack: Vec<Ignores> = Vec::new();
    walk(repo, tree, "", prefix, time, &mut stack, out)?;
    // Two zero blocks, then zeros up to the next 10240-byte record.
    let end = out.count as usize + 2 * BLOCK;
    let padded = end.div_ceil(RECORD) * RECORD;
    out.write_all(&vec![0u8; padded - out.count as usize])
        .map_err(io)?;
    Ok(())
}

fn walk(
    repo: &Repository,
    tree: &Tree<'_>,
    dir: &str,
    prefix: &str,
    time: u64,
    stack: &mut Vec<Ignores>,
    out: &mut Counting<FanOut<'_>>,
) -> Result<(), GitError> {
    let io = |e: std::io::Error| GitError::Archive(e.to_string());
    let pushed = match tree.get_name(".gitattributes") {
        Some(entry) if entry.kind() == Some(ObjectType::Blob) => {
            let blob = repo.find_blob(entry.id())?;
            stack.push(Ignores::parse(
                dir,
                &String::from_utf8_lossy(blob.content()),
            ));
            true
        }
        _ => false,
    };
    for entry in tree.iter() {
        let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
        let path = format!("{dir}{name}");
        if stack.iter().any(|i| i.ignores(&path, &name)) {
            continue;
        }
        let mode = entry.filemode() as u32;
        match entry.filemode() {
            m if m == i32::from(FileMode::Tree) => {
                // A directory comes before its entries, and stays even
                // when every entry in it is export-ignored (as with git).
                let sub = repo.find_tree(entry.id())?;
                write_entry(
                    out,
                    entry.id(),
                    &format!("{prefix}{path}/"),
                    mode,
                    b"",
                    time,
                )
                .map_err(io)?;
                walk(repo, &sub, &format!("{path}/"), prefix, time, stack, out)?;
            }
            m if m == i32::from(FileMode::Commit) => {
                // A submodule: an empty directory, as git writes it.
                write_entry(
                    out,
                    entry.id(),
                    &format!("{prefix}{path}/"),
                    mode,
                    b"",
                    time,
                )
                .map_err(io)?;
            }
            _ => {
                let blob = repo.find_blob(entry.id())?;
                write_entry(
                    out,
                    entry.id(),
                    &format!("{prefix}{path}"),
                    mode,
                    blob.content(),
                    time,
                )
                .map_err(io)?;
            }
        }
    }
    if pushed {
        stack.pop();
    }
    Ok(())
}

/// A pax record, `"LEN KEY=VALUE\n"`, LEN counting itself.
fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let mut len = 1 + 1 + key.len() + 1 + value.len() + 1;
    let mut i = len;
    while i > 9 {
        len += 1;
        i /= 10;
    }
    let mut r = format!("{len} {key}=").into_bytes();
    r.extend_from_slice(value);
    r.push(b'\n');
    r
}

fn write_blocked(out: &mut impl Write, data: &[u8]) -> std::io::Result<()> {
    out.write_all(data)?;
    let rest = data.len() % BLOCK;
    if rest != 0 {
        out.write_all(&[0u8; BLOCK][..BLOCK - rest])?;
    }
    Ok(())
}

/// Where git splits a long path between the ustar `prefix` and `name`.
fn path_prefix_len(path: &[u8], max: usize) -> usize {
    let mut i = path.len();
    if i > 1 && path[i - 1] == b'/' {
        i -= 1;
    }
    if i > max {
        i = max;
    }
    loop {
        i = i.saturating_sub(1);
        if i == 0 || path[i] == b'/' {
            return i;
        }
    }
}

/// One archive entry as git writes it.
fn write_entry(
    out: &mut impl Write,
    oid: Oid,
    path: &str,
    git_mode: u32,
    content: &[u8],
    time: u64,
) -> std::io::Result<()> {
    const S_IFMT: u32 = 0o170000;
    let (typeflag, mode) = match git_mode & S_IFMT {
        0o040000 | 0o160000 => (b'5', (git_mode | 0o777) & !UMASK),
        0o120000 => (b'2', git_mode | 0o777),
        _ => (
            b'0',
            (git_mode | if git_mode & 0o100 != 0 { 0o777 } else { 0o666 }) & !UMASK,
        ),
    };
    let mut ext = Vec::new();
    let bytes = path.as_bytes();
    let mut name: Vec<u8> = bytes.to_vec();
    let mut prefix: Option<Vec<u8>> = None;
    if bytes.len() > 100 {
        let plen = path_prefix_len(bytes, 155);
        let rest = bytes.len() - plen - 1;
        if plen > 0 && rest <= 100 {
            prefix = Some(bytes[..plen].to_vec());
            name = bytes[plen + 1..].to_vec();
        } else {
            name = format!("{oid}.data").into_bytes();
            ext.extend(pax_record("path", bytes));
        }
    }
    let link: Vec<u8> = match typeflag {
        b'2' if content.len() > 100 => {
            ext.extend(pax_record("linkpath", content));
            format!("see {oid}.paxheader").into_bytes()
        }
        b'2' => content.to_vec(),
        _ => Vec::new(),
    };
    let size = if typeflag == b'0' {
        content.len() as u64
    } else {
        0
    };
    if size > 0o77777777777 {
        return Err(std::io::Error::other(format!(
            "{path} is larger than a tar header can say (8 GiB)"
        )));
    }
    if !ext.is_empty() {
        let ext_name = format!("{oid}.paxheader");
        write_header(
            out,
            &ext_name,
            b'x',
            0o100666,
            ext.len() as u64,
            time,
            b"",
            None,
        )?;
        write_blocked(out, &ext)?;
    }
    write_header_raw(
        out,
        &name,
        typeflag,
        mode,
        size,
        time,
        &link,
        prefix.as_deref(),
    )?;
    if typeflag == b'0' && !content.is_empty() {
        write_blocked(out, content)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_header(
    out: &mut impl Write,
    name: &str,
    typeflag: u8,
    mode: u32,
    size: u64,
    time: u64,
    link: &[u8],
    prefix: Option<&[u8]>,
) -> std::io::Result<()> {
    write_header_raw(
        out,
        name.as_bytes(),
        typeflag,
        mode,
        size,
        time,
        link,
        prefix,
    )
}

fn put(field: &mut [u8], value: &[u8]) {
    let n = value.len().min(field.len());
    field[..n].copy_from_slice(&value[..n]);
}

fn octal(field: &mut [u8], value: u64) {
    // git: "%0*o" filling the field but its last byte (a NUL).
    let width = field.len() - 1;
    let text = format!("{value:0width$o}");
    put(field, text.as_bytes());
}

/// A ustar header laid out as git's `prepare_header` does, through the tar
/// crate's field view.
#[allow(clippy::too_many_arguments)]
fn write_header_raw(
    out: &mut impl Write,
    name: &[u8],
    typeflag: u8,
    mode: u32,
    size: u64,
    time: u64,
    link: &[u8],
    prefix: Option<&[u8]>,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_ustar();
    {
        let h = header
            .as_ustar_mut()
            .ok_or_else(|| std::io::Error::other("not a ustar header"))?;
        h.name = [0; 100];
        put(&mut h.name, name);
        octal(&mut h.mode, u64::from(mode & 0o7777));
        octal(&mut h.uid, 0);
        octal(&mut h.gid, 0);
        // Only regular files (and pax headers, which git marks as such) have a size.
        octal(
            &mut h.size,
            if mode & 0o170000 == 0o100000 { size } else { 0 },
        );
        octal(&mut h.mtime, time);
        h.typeflag = [typeflag];
        h.linkname = [0; 100];
        put(&mut h.linkname, link);
        h.uname = [0; 32];
        put(&mut h.uname, b"root");
        h.gname = [0; 32];
        put(&mut h.gname, b"root");
        octal(&mut h.dev_major, 0);
        octal(&mut h.dev_minor, 0);
        h.prefix = [0; 155];
        if let Some(p) = prefix {
            put(&mut h.prefix, p);
        }
        h.cksum = [b' '; 8];
    }
    let sum: u32 = header.as_bytes().iter().map(|&b| u32::from(b)).sum();
    if let Some(h) = header.as_ustar_mut() {
        h.cksum = [0; 8];
        octal(&mut h.cksum, u64::from(sum));
    }
    out.write_all(header.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_records_count_their_own_length() {
        let r = pax_record("comment", "a".repeat(40).as_bytes());
        assert_eq!(r.len(), 52);
        assert!(r.starts_with(b"52 comment="));
        // The length's own digits count too.
        let r = pax_record("path", &[b'x'; 120]);
        assert_eq!(r.len(), 130);
        assert!(r.starts_with(b"130 path="));
    }

    #[test]
    fn long_paths_split_at_a_slash() {
        let path = format!("{}/{}", "d".repeat(120), "f".repeat(50));
        assert_eq!(path_prefix_len(path.as_bytes(), 155), 120);
        assert_eq!(path_prefix_len(b"nodirs", 155), 0);
    }

    #[test]
    fn export_ignore_patterns() {
        let i = Ignores::parse(
            "",
            "/tests export-ignore\n*.orig export-ignore\ndoc/*.md export-ignore\nsrc/x.c text\n",
        );
        assert!(i.ignores("tests", "tests"));
        assert!(i.ignores("a/b/c.orig", "c.orig"));
        assert!(i.ignores("doc/a.md", "a.md"));
        assert!(!i.ignores("src/x.c", "x.c"));
        let sub = Ignores::parse("lib/", "gen.c export-ignore\n");
        assert!(sub.ignores("lib/gen.c", "gen.c"));
        assert!(!sub.ignores("src/gen2.c", "gen2.c"));
    }
}
