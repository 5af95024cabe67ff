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
        let files = dir.path().join("files");
        std::fs::create_dir(&files).expect("files");
        std::fs::write(files.join("postbote-4.12.3.tar.xz"), b"embargoed tarball\n").expect("w");
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
        let out = self.out();
        let root = self.dir.path().join("files");
        let mut args = vec![
            "share",
            &self.project(),
            "--issue",
            "POSTBOTE-2",
            "--out",
            out.to_str().expect("utf-8"),
            "--root",
            root.to_str().expect("utf-8"),
            "--json",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = embargo(&refs, now);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("json")
    }
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
    let mut cmd = Command::new("curl");
    cmd.args([
        "-s",
        "--max-time",
        "5",
        "-o",
        "-",
        "-w",
        "\n%{http_code}",
        url,
    ]);
    if let Some((u, p)) = user {
        cmd.arg("-u").arg(format!("{u}:{p}"));
    }
    let out = text(&cmd.output().expect("curl runs").stdout);
    let (body, code) = out.rsplit_once('\n').expect("status line");
    (code.trim().parse().unwrap_or(0), body.to_owned())
}

#[test]
fn nginx_serves_the_artifact_only_with_the_right_credentials() {
    let s = Setup::new();
    let creds = credentials(&s.share(&[], NOW));
    let (_, user, password) = &creds[0];
    let snippet = s.out().join("nginx.conf");
    let port = free_port();
    let prefix = s.dir.path().join("nginx");
    std::fs::create_dir_all(prefix.join("logs")).expect("nginx dir");
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| text(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let conf = prefix.join("test.conf");
    std::fs::write(
        &conf,
        format!(
            "{user_line}worker_processes 1;\nerror_log {logs}/error.log;\npid {logs}/nginx.pid;\nevents {{ worker_connections 16; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {logs}/body;\n  proxy_temp_path {logs}/proxy;\n  fastcgi_temp_path {logs}/fastcgi;\n  uwsgi_temp_path {logs}/uwsgi;\n  scgi_temp_path {logs}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n    include {snippet};\n  }}\n}}\n",
            user_line = if is_root { "user root;\n" } else { "" },
            logs = prefix.join("logs").display(),
            snippet = snippet.display(),
        ),
    )
    .expect("conf");
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
    let _nginx = Nginx { child };
    let url = format!("http://127.0.0.1:{port}/embargo/4.12.3/postbote-4.12.3.tar.xz");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(prefix.join("logs/error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (code, body) = curl(&url, Some((user, password)));
    assert_eq!(code, 200, "{body}");
    assert_eq!(body, "embargoed tarball\n");
    assert_eq!(curl(&url, Some((user, "wrong"))).0, 401);
    assert_eq!(curl(&url, None).0, 401);
    // No directory listing, even with credentials.
    let listing = format!("http://127.0.0.1:{port}/embargo/4.12.3/");
    assert_eq!(curl(&listing, Some((user, password))).0, 403);
}
