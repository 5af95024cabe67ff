//! Helpers shared by the integration tests that run real outside programs:
//! an SMTP server on 127.0.0.1 (aiosmtpd, started from `smtp_sink.py`
//! beside this file, which saves what it receives), a throw-away GnuPG home
//! with its own gpg-agent, a throw-away certificate authority (made with
//! the `openssl` command) and a server certificate it signed for 127.0.0.1,
//! a free port for a server that must not be there, and a time limit on
//! every child process. Each test binary includes this
//! module with `mod support;` and uses the part it needs.
//!
//! Nothing started here outlives its test: the SMTP server is killed on
//! drop and also stops by itself when the test process goes away (its
//! standard input closes) or after [`SINK_LIFETIME`]; the gpg-agent is
//! killed on drop; a child waited for with [`bounded`] is killed past
//! [`LIMIT`].

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The longest a child process may run in a test.
pub const LIMIT: Duration = Duration::from_secs(90);

/// The longest an SMTP server lives, even if its test never ends.
pub const SINK_LIFETIME: Duration = Duration::from_secs(600);

/// Keep only `project`'s maintainer recipients and plan the release of
/// `issue` at `release`, with its milestones derived again.
pub fn plan_with_maintainers_only(
    project: &mut embargo::core::model::Project,
    issue: &str,
    release: chrono::DateTime<chrono::Utc>,
) {
    project
        .recipients
        .retain(|r| r.role == embargo::core::model::RecipientRole::Maintainers);
    for r in &mut project.releases {
        if r.issues.iter().any(|i| i == issue) {
            r.planned = Some(release);
            r.milestones.clear();
        }
    }
}

/// A copy of the example project in a temporary directory for the notice
/// tests, with no signing key and only the maintainers list as recipient;
/// its clock an hour ahead of the real one (keys gpg makes now are valid
/// then), and `issue`'s release planned a week later at 14:00 UTC
/// ([`now_and_release`]).
pub struct NoticeFixture {
    /// The directory holding the project (and its drafts, templates, …).
    pub dir: tempfile::TempDir,
    /// The test's clock.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The release instant.
    pub release: chrono::DateTime<chrono::Utc>,
}

impl NoticeFixture {
    /// The fixture for `issue`, with `edit` applied to the project.
    pub fn new(issue: &str, edit: impl FnOnce(&mut embargo::core::model::Project)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (now, release) = now_and_release();
        let mut p = embargo::adapters::store::example().expect("example");
        p.signing = None;
        p.mail.smtp_user = String::new();
        plan_with_maintainers_only(&mut p, issue, release);
        edit(&mut p);
        let f = Self { dir, now, release };
        embargo::adapters::store::save(&f.file(), &p).expect("saved");
        f
    }

    /// The project file.
    pub fn file(&self) -> PathBuf {
        self.dir.path().join("postbote.embargo.ron")
    }

    /// The project as the file holds it now.
    pub fn project(&self) -> embargo::core::model::Project {
        embargo::adapters::store::load(&self.file()).expect("loads")
    }

    /// The files in the subdirectory `dir` (e.g. `drafts`) beside the project.
    pub fn entries(&self, dir: &str) -> Vec<PathBuf> {
        match std::fs::read_dir(self.dir.path().join(dir)) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// A clock an hour ahead of now, so that a key made by the test is
/// already valid, and a release a week later at 14:00 UTC.
pub fn now_and_release() -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let now = chrono::Utc::now() + chrono::TimeDelta::hours(1);
    let release = (now.date_naive() + chrono::TimeDelta::days(7))
        .and_hms_opt(14, 0, 0)
        .expect("valid")
        .and_utc();
    (now, release)
}

/// A child's bytes as text, for messages and `contains`.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("address").port()
}

/// Wait for `child` at most [`LIMIT`], collecting its piped standard output
/// and error meanwhile (so a chatty child cannot block on a full pipe);
/// kill it and fail past the limit.
pub fn bounded(mut child: Child) -> Output {
    fn drain(mut from: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = from.read_to_end(&mut buf);
            let _ = tx.send(buf);
        });
        rx
    }
    let start = Instant::now();
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a child process ran longer than {LIMIT:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // The pipes close when the child exits, unless it left a process behind
    // that still holds them.
    let rest = LIMIT
        .saturating_sub(start.elapsed())
        .max(Duration::from_secs(5));
    let collect = |rx: Option<mpsc::Receiver<Vec<u8>>>| {
        rx.map(|rx| {
            rx.recv_timeout(rest)
                .expect("the child exited but a process it started still holds its output")
        })
        .unwrap_or_default()
    };
    Output {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
    }
}

/// How the SMTP server treats logins.
#[derive(Clone, Debug)]
pub enum SmtpAuth {
    /// No login is asked for; every mail is taken.
    None,
    /// A login is required and every password is refused.
    Deny,
    /// A login is required; only this user with this password is accepted.
    Login {
        /// The user name.
        user: String,
        /// The password (handed to the server in its environment, not on
        /// its command line).
        password: String,
    },
}

/// The SMTP sink on 127.0.0.1, killed on drop.
pub struct Smtp {
    child: Child,
    /// Held open: the server stops when it closes.
    _stdin: ChildStdin,
    /// The port it listens on.
    pub port: u16,
    /// Where it saves what it receives.
    pub dir: tempfile::TempDir,
}

impl Smtp {
    /// Start the server and wait until it listens.
    pub fn start(auth: SmtpAuth) -> Self {
        Self::start_with(auth, None)
    }

    /// Start the server offering (and requiring) STARTTLS with `ca`'s
    /// server certificate, and wait until it listens.
    pub fn start_tls(auth: SmtpAuth, ca: &TestCa) -> Self {
        Self::start_with(auth, Some(ca))
    }

    fn start_with(auth: SmtpAuth, tls: Option<&TestCa>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(dir.path())
            .arg("--stop-on-eof")
            .arg("--lifetime")
            .arg(SINK_LIFETIME.as_secs().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(ca) = tls {
            cmd.arg("--tls-cert")
                .arg(ca.server_cert())
                .arg("--tls-key")
                .arg(ca.server_key());
        }
        match &auth {
            SmtpAuth::None => {}
            SmtpAuth::Deny => {
                cmd.arg("--deny-auth");
            }
            SmtpAuth::Login { user, password } => {
                cmd.arg("--login")
                    .arg(user)
                    .env("SMTP_SINK_PASSWORD", password);
            }
        }
        let mut child = cmd
            .spawn()
            .expect("python3 runs (scripts/setup-system.sh installs aiosmtpd)");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let smtp = Self {
            child,
            _stdin: stdin,
            port,
            dir,
        };
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.trim() == "READY" => smtp,
            other => {
                drop(smtp);
                panic!(
                    "the SMTP sink did not start ({other:?}); install aiosmtpd: python3 -m pip install aiosmtpd"
                );
            }
        }
    }

    /// `127.0.0.1:PORT`, for `--smtp`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The mails received so far, in order: the raw message and its
    /// envelope (`{mail_from, rcpt_tos}`).
    pub fn received(&self) -> Vec<(Vec<u8>, serde_json::Value)> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let raw = std::fs::read(&p).expect("readable");
                let env = std::fs::read_to_string(p.with_extension("json")).expect("envelope");
                (raw, serde_json::from_str(&env).expect("json"))
            })
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A throw-away certificate authority and a server certificate it signed
/// for `127.0.0.1` and `localhost`, made with the `openssl` command in a
/// temporary directory (ECDSA P-256, valid for two days).
pub struct TestCa {
    dir: tempfile::TempDir,
}

impl TestCa {
    /// Make the CA and the server's certificate.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        std::fs::write(
            d.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .expect("written");
        let openssl = |args: &[&str]| {
            let o = bounded(
                Command::new("openssl")
                    .args(args)
                    .current_dir(d)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("openssl runs (scripts/setup-system.sh installs it)"),
            );
            assert!(o.status.success(), "openssl {args:?}: {}", text(&o.stderr));
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        let mut ca = vec!["req", "-x509"];
        ca.extend(ec);
        ca.extend([
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Embargo test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(&ca);
        let mut csr = vec!["req"];
        csr.extend(ec);
        csr.extend([
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        openssl(&csr);
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        Self { dir }
    }

    /// The CA's certificate (PEM), for `--smtp-ca`.
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The server's certificate (PEM).
    pub fn server_cert(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    /// The server's private key (PEM).
    pub fn server_key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }
}

/// A temporary GnuPG home with its agent, killed on drop.
pub struct Gpg {
    dir: tempfile::TempDir,
}

impl Gpg {
    /// An empty home, in `/tmp` so that the agent's socket path fits in
    /// its 108 bytes.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("emb-gpg")
            .tempdir_in("/tmp")
            .expect("temp dir");
        let home = dir.path().join("h");
        std::fs::create_dir(&home).expect("home");
        std::fs::set_permissions(&home, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .expect("mode");
        Self { dir }
    }

    /// The GNUPGHOME.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("h")
    }

    /// A scratch directory beside the home, removed with it.
    pub fn work(&self) -> PathBuf {
        self.dir.path().to_owned()
    }

    /// Run `gpg --batch` in this home with `stdin` on its standard input.
    pub fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut child = Command::new("gpg")
            .arg("--homedir")
            .arg(self.home())
            .args(["--batch", "--no-tty"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg runs");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(b) = stdin {
            input.write_all(b).expect("written");
        }
        drop(input);
        bounded(child)
    }

    /// [`Gpg::run`] with no input, failing the test unless gpg succeeds.
    pub fn ok(&self, args: &[&str]) -> Output {
        let o = self.run(args, None);
        assert!(
            o.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o
    }

    /// An Ed25519 signing key protected by `passphrase` ("" for none),
    /// valid for a year; its fingerprint.
    pub fn make_key(&self, uid: &str, passphrase: &str) -> String {
        self.ok(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-gen-key",
            uid,
            "ed25519",
            "sign",
            "1y",
        ]);
        let o = self.ok(&["--with-colons", "--list-keys", uid]);
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .map(|l| l.trim_matches(':').to_owned())
            .expect("a fingerprint")
    }

    /// [`Gpg::make_key`] with a Cv25519 encryption subkey, for mail.
    pub fn make_mail_key(&self, uid: &str, passphrase: &str) -> String {
        let fpr = self.make_key(uid, passphrase);
        self.ok(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-add-key",
            &fpr,
            "cv25519",
            "encr",
            "1y",
        ]);
        fpr
    }

    /// The armored certificate (public key).
    pub fn export(&self, fpr: &str) -> String {
        String::from_utf8(self.ok(&["--armor", "--export", fpr]).stdout).expect("ascii")
    }

    /// The certificate written to `FPR.cert.asc` in [`Gpg::work`].
    pub fn export_cert(&self, fpr: &str) -> PathBuf {
        let path = self.work().join(format!("{fpr}.cert.asc"));
        std::fs::write(&path, self.export(fpr)).expect("written");
        path
    }

    /// The secret key, still protected by `passphrase`, written to
    /// `FPR.key.asc` in [`Gpg::work`].
    pub fn export_secret(&self, fpr: &str, passphrase: &str) -> PathBuf {
        let path = self.work().join(format!("{fpr}.key.asc"));
        let o = self.ok(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--armor",
            "--export-secret-keys",
            fpr,
        ]);
        std::fs::write(&path, o.stdout).expect("written");
        path
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home())
            .args(["--kill", "all"])
            .output();
    }
}

/// Run `embargo ARGS` through bash with `stdin` on fd 0 and, if given,
/// `fd3` on file descriptor 3 by a here-string, as a release script hands
/// over a secret (`3<<<"$SECRET"`). The secret passes bash in its
/// environment, which bash drops before `exec`, so `embargo` gets it on the
/// descriptor only. `setup` adds the environment and working directory.
/// Bounded by [`LIMIT`].
pub fn embargo_with_fd3(
    args: &[impl AsRef<std::ffi::OsStr>],
    stdin: &str,
    fd3: Option<&str>,
    setup: impl FnOnce(&mut Command),
) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg("-c");
    match fd3 {
        Some(secret) => {
            cmd.arg(r#"s=$FD3; unset FD3; exec "$0" "$@" 3<<<"$s""#)
                .env("FD3", secret);
        }
        None => {
            cmd.arg(r#"exec "$0" "$@""#);
        }
    }
    cmd.arg(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut cmd);
    let mut child = cmd.spawn().expect("bash runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("written");
    drop(input);
    bounded(child)
}

/// The permission bits of `path` itself (a link is not followed).
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

/// Run `git -C dir ARGS…`, fail the test if it fails, and give its
/// standard output trimmed.
pub fn git_ok(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// Do for a harness what eframe does before it draws each frame and
/// kittest's renderer does not: fill the window with the app's background
/// ([`embargo::ui::window_background`]), which the top-level panels leave
/// to that clear. Give it to `HarnessBuilder::with_context_setup` where
/// snapshots are compared, so that they show the window as users see it.
pub fn clear_like_eframe(ctx: &egui::Context) {
    ctx.on_begin_pass(
        "window background",
        std::sync::Arc::new(|ui: &mut egui::Ui| {
            let rect = ui.ctx().viewport_rect();
            let colour = embargo::ui::window_background(ui.visuals());
            ui.painter().rect_filled(rect, 0.0, colour);
        }),
    );
}

/// Step the app until no background job runs, then until the UI settles
/// (idle for a few frames in a row: a job's result may start another job).
pub fn settle(h: &mut egui_kittest::Harness<'_, embargo::ui::EmbargoApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut idle = 0;
    while idle < 3 {
        h.step();
        idle = if h.state().is_busy() { 0 } else { idle + 1 };
        assert!(Instant::now() < deadline, "a background job did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run();
}

/// Open Project › Compose notice… on the selected issue and choose
/// `template` in the notice window.
pub fn compose_notice(h: &mut egui_kittest::Harness<'_, embargo::ui::EmbargoApp>, template: &str) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Compose notice…").click();
    settle(h);
    h.state_mut()
        .view
        .mail
        .compose
        .as_mut()
        .expect("the notice window opens")
        .template = template.into();
    h.run();
}

/// Replace the text of the field labelled `label` when typing into it
/// starts a background job (reading a key file, say): like [`type_into`],
/// then [`settle`] until the job is done instead of a bounded run.
pub fn type_and_settle(
    h: &mut egui_kittest::Harness<'_, embargo::ui::EmbargoApp>,
    label: &str,
    text: &str,
) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    settle(h);
}

/// Replace the text of the app's field labelled `label`.
pub fn type_into(
    h: &mut egui_kittest::Harness<'_, embargo::ui::EmbargoApp>,
    label: &str,
    text: &str,
) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

impl Gpg {
    /// The sender's signing key of the example project: a fresh mail key
    /// for Postbote Security, exported to a key file protected by the
    /// passphrase `s3cret`. Its fingerprint and the project's reference.
    pub fn sender_key_file(&self) -> (String, embargo::core::model::SigningKeyRef) {
        let sender = self.make_mail_key("Postbote Security <security@postbote.example>", "s3cret");
        let key_file = self.export_secret(&sender, "s3cret");
        let key = embargo::core::model::SigningKeyRef {
            fingerprint: sender.clone(),
            location: embargo::core::model::KeyLocation::KeyFile {
                path: key_file.display().to_string(),
            },
        };
        (sender, key)
    }

    /// A recipient with a fresh mail key in this home and its certificate
    /// imported into the project's entry.
    pub fn recipient_with_cert(
        &self,
        name: &str,
        address: &str,
        role: embargo::core::model::RecipientRole,
    ) -> embargo::core::model::Recipient {
        let fpr = self.make_mail_key(&format!("{name} <{address}>"), "");
        let mut r = embargo::core::model::Recipient::new(name, address, role);
        r.cert_fingerprint = Some(fpr.clone());
        r.cert = Some(self.export(&fpr));
        r
    }
}

/// Run `embargo ARGS` with the clock at `now` (`EMBARGO_NOW`).
pub fn embargo_at(now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", now)
        .output()
        .expect("the binary runs")
}

/// The standard output of `o`, which must have exited 0 (else its
/// standard error is the failure's message).
pub fn stdout_ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// The JSON file `path` below `tests/data` (the official schemas and
/// the real documents beside them).
pub fn data_json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(path),
    )
    .expect("test data is in the repository");
    serde_json::from_str(&text).expect("JSON")
}

/// Every error of `doc` against the schema `v`, with where it is.
pub fn schema_errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The official CSAF 2.0 schema with FIRST's CVSS 2.0, 3.0 and 3.1
/// schemas it references, compiled offline, formats checked.
pub fn csaf_validator() -> jsonschema::Validator {
    let mut registry = jsonschema::Registry::new();
    for v in ["2.0", "3.0", "3.1"] {
        registry = registry
            .add(
                format!("https://www.first.org/cvss/cvss-v{v}.json"),
                data_json(&format!("csaf-2.0/referenced/cvss-v{v}.json")),
            )
            .expect("uri");
    }
    jsonschema::options()
        .with_registry(&registry.prepare().expect("the CVSS schemas register"))
        .should_validate_formats(true)
        .build(&data_json("csaf-2.0/csaf_json_schema.json"))
        .expect("the official CSAF schema compiles offline")
}

/// The official OpenVEX 0.2.0 schema, formats checked.
pub fn openvex_validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&data_json("openvex-0.2.0/openvex_json_schema.json"))
        .expect("the official OpenVEX schema compiles")
}
