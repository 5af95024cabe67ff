//! The embargoed download against the real tools: Apache's `htpasswd -vb`
//! accepts every generated usercode and password and refuses a wrong one,
//! `md5sum` agrees with the `.htdigest` hashes, and a real nginx started on
//! 127.0.0.1 with the generated configuration serves an artifact with the
//! right credentials (200) and refuses wrong or missing ones (401).
//! Rotation, revocation and expiry after the release change the files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T12:00:00Z";

fn embargo(args: &[&str], now: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", now)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("postbote.embargo.ron"),
            embargo::adapters::store::EXAMPLE.1,
        )
        .expect("example");
        let built = dir.path().join("built");
        std::fs::create_dir(&built).expect("built");
        let tarball = built.join("postbote-4.12.3.tar.xz");
        std::fs::write(&tarball, b"embargoed tarball\n").expect("w");
        // The release records the tarball, as `embargo artifacts` would.
        let path = dir.path().join("postbote.embargo.ron");
        let mut p = embargo::adapters::store::load(&path).expect("project");
        let release = p
            .releases
            .iter_mut()
            .find(|r| r.version == "4.12.3")
            .expect("4.12.3");
        release.artifacts.push(embargo::core::model::Artifact {
            path: "built/postbote-4.12.3.tar.xz".into(),
            kind: embargo::core::model::ArtifactKind::Tarball,
            size: 18,
            sha256: sha256sum(&tarball),
            signature: None,
            signer: None,
        });
        embargo::adapters::store::save(&path, &p).expect("saved");
        Self { dir }
    }

    fn project(&self) -> String {
        self.dir
            .path()
            .join("postbote.embargo.ron")
            .display()
            .to_string()
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("share")
    }

    fn share(&self, extra: &[&str], now: &str) -> serde_json::Value {
        let o = self.try_share(extra, now);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("json")
    }

    fn try_share(&self, extra: &[&str], now: &str) -> Output {
        let out = self.out();
        let mut args = vec![
            "share",
            &self.project(),
            "--issue",
            "POSTBOTE-2",
            "--out",
            out.to_str().expect("utf-8"),
            "--json",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        embargo(&refs, now)
    }
}

impl Setup {
    /// Put the private fix sources beside the served directory (the
    /// sibling an off-by-slash `alias` reaches), share with a location
    /// without its trailing slash, and give the first list's usercode and
    /// password.
    fn share_beside_private_sources(&self) -> (String, String) {
        let sources = self.out().join("sources");
        std::fs::create_dir_all(&sources).expect("sources");
        std::fs::write(sources.join("fix.c"), "SECRET FIX\n").expect("w");
        let creds = credentials(&self.share(&["--location", "/embargo/4.12.3"], NOW));
        let (_, user, password) = creds[0].clone();
        (user, password)
    }
}

fn sha256sum(file: &Path) -> String {
    let o = Command::new("sha256sum")
        .arg(file)
        .output()
        .expect("sha256sum");
    text(&o.stdout)
        .split_whitespace()
        .next()
        .expect("sum")
        .to_owned()
}

fn htpasswd_ok(file: &Path, user: &str, password: &str) -> bool {
    Command::new("htpasswd")
        .arg("-vb")
        .arg(file)
        .args([user, password])
        .output()
        .expect("htpasswd runs (apache2-utils)")
        .status
        .success()
}

fn credentials(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["credentials"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| {
            (
                c["list"].as_str().expect("list").to_owned(),
                c["user"].as_str().expect("user").to_owned(),
                c["password"].as_str().expect("password").to_owned(),
            )
        })
        .collect()
}

#[test]
fn htpasswd_and_htdigest_accept_the_credentials_and_only_hashes_are_kept() {
    let s = Setup::new();
    let json = s.share(&[], NOW);
    let creds = credentials(&json);
    assert!(creds.len() >= 2, "one per private list: {json}");
    let lists: Vec<&str> = creds.iter().map(|(l, _, _)| l.as_str()).collect();
    assert!(
        !lists.contains(&"oss-security") && !lists.contains(&"Postbote announce"),
        "{lists:?}"
    );
    let htpasswd = s.out().join(".htpasswd");
    for (_, user, password) in &creds {
        assert_eq!(password.len(), 32, "128 bits in hex");
        assert!(htpasswd_ok(&htpasswd, user, password), "{user}");
        assert!(!htpasswd_ok(&htpasswd, user, "wrong password"), "{user}");
    }
    // The digest hashes are MD5(user:realm:password), as md5sum says.
    let digest = std::fs::read_to_string(s.out().join(".htdigest")).expect("htdigest");
    let (_, user, password) = &creds[0];
    let mut md5 = Command::new("md5sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("md5sum");
    md5.stdin
        .take()
        .expect("stdin")
        .write_all(format!("{user}:Embargoed release:{password}").as_bytes())
        .expect("written");
    let sum = text(&md5.wait_with_output().expect("md5sum").stdout);
    let ha1 = sum.split_whitespace().next().expect("sum");
    assert!(
        digest.contains(&format!("{user}:Embargoed release:{ha1}\n")),
        "{digest}"
    );
    // No password in the project; its hash is.
    let saved = std::fs::read_to_string(s.project()).expect("project");
    for (_, _, password) in &creds {
        assert!(
            !saved.contains(password.as_str()),
            "a password reached the project file"
        );
    }
    assert!(saved.contains("$2y$"), "bcrypt hashes kept");
    // Run again: nothing new, and the old passwords still work.
    let again = s.share(&[], NOW);
    assert!(credentials(&again).is_empty(), "{again}");
    assert!(htpasswd_ok(&htpasswd, &creds[0].1, &creds[0].2));
}

#[test]
fn rotate_revoke_and_expire_after_the_release() {
    let s = Setup::new();
    let creds = credentials(&s.share(&[], NOW));
    let (list, user, old) = creds[0].clone();
    let htpasswd = s.out().join(".htpasswd");
    let rotated = credentials(&s.share(&["--rotate", &list], NOW));
    assert_eq!(rotated.len(), 1);
    assert!(htpasswd_ok(&htpasswd, &user, &rotated[0].2));
    assert!(
        !htpasswd_ok(&htpasswd, &user, &old),
        "the old password stops working"
    );

    let json = s.share(&["--revoke", &list], NOW);
    assert_eq!(json["revoked"][0], list.as_str());
    let file = std::fs::read_to_string(&htpasswd).expect("htpasswd");
    assert!(!file.contains(&format!("{user}:")), "{file}");

    let o = embargo(
        &[
            "share",
            &s.project(),
            "--issue",
            "POSTBOTE-2",
            "--out",
            "x",
            "--revoke",
            "Nobody",
        ],
        NOW,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not a private recipient list"),
        "{}",
        text(&o.stderr)
    );

    // Publish the release: every credential expires.
    let mut p = embargo::adapters::store::load(Path::new(&s.project())).expect("project");
    let r = p
        .releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == "POSTBOTE-2"))
        .expect("release");
    r.published = Some(
        chrono::DateTime::parse_from_rfc3339(NOW)
            .expect("t")
            .to_utc(),
    );
    embargo::adapters::store::save(Path::new(&s.project()), &p).expect("saved");
    let json = s.share(&[], "2026-11-24T00:00:00Z");
    assert!(json["expired"].as_u64().expect("n") >= 1, "{json}");
    assert!(credentials(&json).is_empty());
    assert_eq!(std::fs::read_to_string(&htpasswd).expect("htpasswd"), "");
}

/// nginx on 127.0.0.1, stopped when dropped.
struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn curl(url: &str, user: Option<(&str, &str)>) -> (u16, String) {
    curl_auth(url, user, false)
}

/// GET `url` as it is (no path normalisation by curl), with Basic or
/// (`digest`) Digest credentials; the status and the body.
fn curl_auth(url: &str, user: Option<(&str, &str)>, digest: bool) -> (u16, String) {
    let mut cmd = Command::new("curl");
    cmd.args([
        "-s",
        "--path-as-is",
        "--max-time",
        "5",
        "-o",
        "-",
        "-w",
        "\n%{http_code}",
        url,
    ]);
    if let Some((u, p)) = user {
        if digest {
            cmd.arg("--digest");
        }
        cmd.arg("-u").arg(format!("{u}:{p}"));
    }
    let out = text(&cmd.output().expect("curl runs").stdout);
    let (body, code) = out.rsplit_once('\n').expect("status line");
    (code.trim().parse().unwrap_or(0), body.to_owned())
}

impl Nginx {
    /// Start nginx on a free port of 127.0.0.1 with `snippet` included in
    /// its one server block; waits (at most 10 s) until it listens.
    fn start(dir: &Path, snippet: &Path) -> (Self, u16) {
        let port = free_port();
        let prefix = dir.join("nginx");
        std::fs::create_dir_all(prefix.join("logs")).expect("nginx dir");
        let conf = prefix.join("test.conf");
        std::fs::write(&conf, nginx_main_conf(&prefix, port, snippet)).expect("conf");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx starts (scripts/setup-system.sh installs it)");
        let nginx = Nginx { child };
        wait_for_port(port, &prefix.join("logs/error.log"));
        (nginx, port)
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| text(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn nginx_main_conf(prefix: &Path, port: u16, snippet: &Path) -> String {
    format!(
        "{user_line}worker_processes 1;\nerror_log {logs}/error.log;\npid {logs}/nginx.pid;\nevents {{ worker_connections 16; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {logs}/body;\n  proxy_temp_path {logs}/proxy;\n  fastcgi_temp_path {logs}/fastcgi;\n  uwsgi_temp_path {logs}/uwsgi;\n  scgi_temp_path {logs}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n    include {snippet};\n  }}\n}}\n",
        user_line = if is_root() { "user root;\n" } else { "" },
        logs = prefix.join("logs").display(),
        snippet = snippet.display(),
    )
}

fn wait_for_port(port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the server did not start: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn nginx_serves_the_artifact_only_with_the_right_credentials() {
    let s = Setup::new();
    let creds = credentials(&s.share(&[], NOW));
    let (_, user, password) = &creds[0];
    let (_nginx, port) = Nginx::start(s.dir.path(), &s.out().join("nginx.conf"));
    let url = format!("http://127.0.0.1:{port}/embargo/4.12.3/postbote-4.12.3.tar.xz");
    let (code, body) = curl(&url, Some((user, password)));
    assert_eq!(code, 200, "{body}");
    assert_eq!(body, "embargoed tarball\n");
    assert_eq!(curl(&url, Some((user, "wrong"))).0, 401);
    assert_eq!(curl(&url, None).0, 401);
    // No directory listing, even with credentials.
    let listing = format!("http://127.0.0.1:{port}/embargo/4.12.3/");
    assert_eq!(curl(&listing, Some((user, password))).0, 403);
}

fn out_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_released_example_is_served_from_its_own_absolute_directory_never_from_slash() {
    // The example's 4.12.2 records its artifacts by bare file name; the
    // old default root was their directory, "", which became `alias /;`.
    let s = Setup::new();
    let out = s.out();
    let o = embargo(
        &[
            "share",
            &s.project(),
            "--issue",
            "POSTBOTE-1",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        NOW,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let nginx = std::fs::read_to_string(out.join("nginx.conf")).expect("nginx.conf");
    let files = out.join("files");
    assert!(
        nginx.contains(&format!("alias {}/;", files.display())),
        "{nginx}"
    );
    assert!(!nginx.contains("alias /;"), "{nginx}");
    let apache = std::fs::read_to_string(out.join("apache.conf")).expect("apache.conf");
    assert!(
        apache.contains(&format!("Alias /embargo/4.12.2/ \"{}/\"", files.display()))
            && apache.contains(&format!("<Directory \"{}\">", files.display())),
        "{apache}"
    );
    // Published: nothing is served, and it says so.
    assert!(out_files(&files).is_empty());
}

#[test]
fn the_served_directory_holds_only_the_release_files_and_bad_roots_are_refused() {
    let s = Setup::new();
    let json = s.share(&[], NOW);
    let files = s.out().join("files");
    assert_eq!(json["root"], files.display().to_string().as_str());
    assert_eq!(out_files(&files), ["postbote-4.12.3.tar.xz"]);
    let served = files.join("postbote-4.12.3.tar.xz");
    assert_eq!(
        std::fs::read(&served).expect("served"),
        b"embargoed tarball\n"
    );
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&served).expect("m").permissions().mode() & 0o777,
        0o640
    );
    let before = std::fs::read(s.project()).expect("project");

    let refused = |args: &[&str], home: Option<&Path>, want: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
        let out = s.dir.path().join("refused");
        cmd.args(["share", &s.project(), "--issue", "POSTBOTE-2", "--out"])
            .arg(&out)
            .args(args)
            .env("EMBARGO_NOW", NOW);
        if let Some(h) = home {
            cmd.env("HOME", h);
        }
        let o = cmd.output().expect("runs");
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(
            !out.join("nginx.conf").exists() && !out.join(".htpasswd").exists(),
            "{args:?}: nothing is written"
        );
        assert_eq!(
            std::fs::read(s.project()).expect("project"),
            before,
            "{args:?}: the project is unchanged"
        );
    };
    refused(&["--root", "/"], None, "root of the file system");
    let home = s.dir.path().join("home");
    std::fs::create_dir(&home).expect("home");
    refused(
        &["--root", home.to_str().expect("utf-8")],
        Some(&home),
        "is a home directory",
    );
    let busy = s.dir.path().join("busy");
    std::fs::create_dir(&busy).expect("busy");
    std::fs::write(busy.join("notes.txt"), "private notes").expect("w");
    refused(
        &["--root", busy.to_str().expect("utf-8")],
        None,
        "holds notes.txt, which is not one of the release's files",
    );
    let link = s.dir.path().join("link");
    std::os::unix::fs::symlink(&busy, &link).expect("symlink");
    refused(
        &["--root", link.to_str().expect("utf-8")],
        None,
        "is a symbolic link",
    );
    // The password files are never inside the served directory.
    refused(
        &[
            "--root",
            s.dir.path().join("refused").to_str().expect("utf-8"),
        ],
        None,
        "it holds the password files",
    );
    // A tarball changed after it was recorded is not served.
    std::fs::write(
        s.dir.path().join("built/postbote-4.12.3.tar.xz"),
        b"something else\n",
    )
    .expect("w");
    refused(&[], None, "is not the file the release records");
}

#[test]
fn realm_location_and_root_that_would_inject_configuration_are_refused() {
    let s = Setup::new();
    let before = std::fs::read(s.project()).expect("project");
    for (args, want) in [
        (
            vec!["--realm", "R\";\n}\nlocation / { root /; } #"],
            "the realm",
        ),
        (vec!["--realm", "back\\slash"], "the realm"),
        (
            vec!["--location", "/embargo/;}location/{alias/;}"],
            "the location",
        ),
        (vec!["--location", "/a/../b/"], "the location"),
        (vec!["--location", "/"], "would serve the whole site"),
        (vec!["--root", "/tmp/a b"], "served directory"),
        (vec!["--root", "/tmp/x\";}"], "served directory"),
        (vec!["--root", "/tmp/$document_root"], "served directory"),
    ] {
        let o = s.try_share(&args, NOW);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!s.out().join("nginx.conf").exists(), "{args:?}");
    }
    assert_eq!(std::fs::read(s.project()).expect("project"), before);
}

#[test]
fn nginx_serves_nothing_beside_the_release_even_with_a_location_without_slash() {
    let s = Setup::new();
    let (user, password) = &s.share_beside_private_sources();
    let snippet = s.out().join("nginx.conf");
    let conf = std::fs::read_to_string(&snippet).expect("conf");
    assert!(conf.contains("location /embargo/4.12.3/ {"), "{conf}");
    // nginx -t accepts every generated file.
    let prefix = s.dir.path().join("nginx");
    std::fs::create_dir_all(prefix.join("logs")).expect("dir");
    let main = prefix.join("check.conf");
    std::fs::write(&main, nginx_main_conf(&prefix, free_port(), &snippet)).expect("w");
    let t = Command::new("nginx")
        .arg("-t")
        .arg("-p")
        .arg(&prefix)
        .arg("-c")
        .arg(&main)
        .output()
        .expect("nginx -t");
    assert!(t.status.success(), "{}", text(&t.stderr));

    let (_nginx, port) = Nginx::start(s.dir.path(), &snippet);
    let base = format!("http://127.0.0.1:{port}");
    let ok = curl(
        &format!("{base}/embargo/4.12.3/postbote-4.12.3.tar.xz"),
        Some((user, password)),
    );
    assert_eq!(ok, (200, "embargoed tarball\n".into()));
    for path in [
        "/embargo/4.12.3/../../../../../../etc/passwd",
        "/embargo/4.12.3/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/embargo/4.12.3/%2e%2e/sources/fix.c",
        "/embargo/4.12.3/..%2fsources/fix.c",
        "/embargo/4.12.3../sources/fix.c",
        "/embargo/4.12.3../.htpasswd",
        "/embargo/4.12.3/../.htpasswd",
        "/embargo/4.12.3/.htpasswd",
        "/embargo/4.12.3/../sources/fix.c",
    ] {
        let (code, body) = curl(&format!("{base}{path}"), Some((user, password)));
        assert!(
            [400, 403, 404].contains(&code),
            "{path}: answered {code}: {body}"
        );
        assert!(
            !body.contains("SECRET") && !body.contains("root:") && !body.contains("$2y$"),
            "{path}: {body}"
        );
    }
}

/// Apache on 127.0.0.1, stopped when dropped.
struct Apache {
    child: Child,
}

impl Drop for Apache {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A main Apache configuration that loads what the generated snippet
/// needs and includes it.
fn apache_main_conf(prefix: &Path, port: u16, snippet: &Path) -> String {
    let m = "/usr/lib/apache2/modules";
    let modules = [
        "mpm_event",
        "authz_core",
        "authz_user",
        "authn_core",
        "authn_file",
        "auth_basic",
        "auth_digest",
        "alias",
        "headers",
    ]
    .iter()
    .map(|n| format!("LoadModule {n}_module {m}/mod_{n}.so\n"))
    .collect::<String>();
    format!(
        "ServerRoot {p}\nServerName localhost\nListen 127.0.0.1:{port}\nPidFile {p}/apache.pid\nDefaultRuntimeDir {p}\nErrorLog {p}/error.log\n{user}{modules}DocumentRoot {p}/empty\nInclude {snippet}\n",
        p = prefix.display(),
        user = if is_root() {
            "User www-data\nGroup www-data\n"
        } else {
            ""
        },
        snippet = snippet.display(),
    )
}

#[test]
fn apache_serves_the_release_with_basic_and_digest_and_nothing_beside_it() {
    let s = Setup::new();
    let (user, password) = &s.share_beside_private_sources();
    if is_root() {
        // As deployed: the web server's group reads the 0640 files.
        for dir in [s.dir.path().to_path_buf(), s.out(), s.out().join("files")] {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o711)).expect("chmod");
        }
        let st = Command::new("chgrp")
            .args(["-R", "www-data"])
            .arg(s.out())
            .status()
            .expect("chgrp");
        assert!(st.success());
    }
    for (snippet, digest) in [("apache.conf", false), ("apache-digest.conf", true)] {
        let prefix = s.dir.path().join(format!("apache-{digest}"));
        std::fs::create_dir_all(prefix.join("empty")).expect("dir");
        let snippet = s.out().join(snippet);
        let port = free_port();
        let main = prefix.join("httpd.conf");
        std::fs::write(&main, apache_main_conf(&prefix, port, &snippet)).expect("w");
        let t = Command::new("apache2")
            .arg("-t")
            .arg("-f")
            .arg(&main)
            .output()
            .expect("apache2 -t (scripts/setup-system.sh installs apache2)");
        assert!(t.status.success(), "{}{}", text(&t.stdout), text(&t.stderr));
        let child = Command::new("apache2")
            .arg("-f")
            .arg(&main)
            .arg("-DFOREGROUND")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("apache2 starts");
        let _apache = Apache { child };
        wait_for_port(port, &prefix.join("error.log"));
        let get = |path: &str, auth: Option<(&str, &str)>| {
            curl_auth(&format!("http://127.0.0.1:{port}{path}"), auth, digest)
        };
        let tarball = "/embargo/4.12.3/postbote-4.12.3.tar.xz";
        assert_eq!(
            get(tarball, Some((user, password))),
            (200, "embargoed tarball\n".into()),
            "digest {digest}: {}",
            std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default()
        );
        assert_eq!(
            get(tarball, Some((user, "wrong"))).0,
            401,
            "digest {digest}"
        );
        assert_eq!(get(tarball, None).0, 401, "digest {digest}");
        for path in [
            "/embargo/4.12.3/",
            "/embargo/4.12.3/../../../../../../etc/passwd",
            "/embargo/4.12.3/..%2f..%2fetc/passwd",
            "/embargo/4.12.3/%2e%2e/sources/fix.c",
            "/embargo/4.12.3../sources/fix.c",
            "/embargo/4.12.3/../.htpasswd",
            "/embargo/4.12.3/../sources/fix.c",
        ] {
            let (code, body) = get(path, Some((user, password)));
            assert!(
                [400, 401, 403, 404].contains(&code),
                "digest {digest}: {path}: answered {code}: {body}"
            );
            assert!(
                !body.contains("SECRET") && !body.contains("root:") && !body.contains("$2y$"),
                "digest {digest}: {path}: {body}"
            );
        }
    }
}
