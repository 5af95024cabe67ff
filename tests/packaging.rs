//! The files that install Embargo on a desktop: the desktop entry and the
//! AppStream metainfo pass their validators (`desktop-file-validate`,
//! `appstreamcli validate --no-net`, from the system packages
//! `scripts/setup-system.sh` installs), every file the Debian package installs
//! exists, the icons are real PNGs of the size their directory names, and the
//! metainfo announces the crate's version.

use std::path::{Path, PathBuf};
use std::process::Command;

const DESKTOP: &str = "packaging/org.embargo.Embargo.desktop";
const METAINFO: &str = "packaging/org.embargo.Embargo.metainfo.xml";
const SVG: &str = "assets/icons/org.embargo.Embargo.svg";
const HICOLOR: &str = "assets/icons/hicolor";
const ICON_SIZES: [u32; 7] = [16, 32, 48, 64, 128, 256, 512];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn png(size: u32) -> String {
    format!("{HICOLOR}/{size}x{size}/apps/org.embargo.Embargo.png")
}

/// Runs a validator on a file and returns its status and its whole output.
fn validate(program: &str, args: &[&str], file: &str) -> (bool, String) {
    let out = Command::new(program)
        .args(args)
        .arg(repo().join(file))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}): run scripts/setup-system.sh"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn desktop_file_passes_desktop_file_validate() {
    let (ok, out) = validate("desktop-file-validate", &[], DESKTOP);
    let complaint = out
        .lines()
        .any(|l| l.contains("error:") || l.contains("warning:"));
    assert!(ok && !complaint, "desktop-file-validate {DESKTOP}:\n{out}");
}

#[test]
fn metainfo_passes_appstreamcli_validate() {
    let (ok, out) = validate("appstreamcli", &["validate", "--no-net"], METAINFO);
    // Infos ("I:") and pedantic hints ("P:") are fine; errors and warnings not.
    let complaint = out
        .lines()
        .any(|l| l.starts_with("E:") || l.starts_with("W:"));
    assert!(
        ok && !complaint,
        "appstreamcli validate --no-net {METAINFO}:\n{out}"
    );
}

/// Cargo.toml, parsed.
fn manifest() -> toml::Table {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).expect("read Cargo.toml");
    text.parse().expect("Cargo.toml is TOML")
}

/// The `[package.metadata.deb].assets` of Cargo.toml, as (source, destination).
fn deb_assets() -> Vec<(String, String)> {
    let manifest = manifest();
    let assets = manifest["package"]["metadata"]["deb"]["assets"]
        .as_array()
        .expect("[package.metadata.deb] has an assets list");
    assets
        .iter()
        .map(|a| {
            let a = a
                .as_array()
                .expect("an asset is [source, destination, mode]");
            let field = |i: usize| {
                a.get(i)
                    .and_then(|v| v.as_str())
                    .unwrap_or_else(|| panic!("asset {a:?} lacks field {i}"))
                    .to_owned()
            };
            (field(0), field(1))
        })
        .collect()
}

#[test]
fn every_deb_asset_exists() {
    let assets = deb_assets();
    let missing: Vec<&str> = assets
        .iter()
        .map(|(src, _)| src.as_str())
        .filter(|src| !src.starts_with("target/release/"))
        .filter(|src| !repo().join(src).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "deb assets missing from the repository: {missing:?}"
    );

    // And nothing meant for the desktop is left out of the package.
    let mut wanted = vec![
        ("target/release/embargo".to_owned(), "usr/bin/".to_owned()),
        (DESKTOP.to_owned(), "usr/share/applications/".to_owned()),
        (METAINFO.to_owned(), "usr/share/metainfo/".to_owned()),
        (
            SVG.to_owned(),
            "usr/share/icons/hicolor/scalable/apps/".to_owned(),
        ),
        ("README.md".to_owned(), "usr/share/doc/embargo/".to_owned()),
    ];
    for size in ICON_SIZES {
        wanted.push((
            png(size),
            format!("usr/share/icons/hicolor/{size}x{size}/apps/"),
        ));
    }
    for w in &wanted {
        assert!(
            assets.contains(w),
            "the deb does not install {} to {}",
            w.0,
            w.1
        );
    }
}

#[test]
fn crate_description_fits_the_deb_synopsis() {
    // cargo deb uses the crate's description as the package's one-line
    // synopsis and wraps it, into the long description, past 79 characters.
    let manifest = manifest();
    let description = manifest["package"]["description"]
        .as_str()
        .expect("Cargo.toml has a description");
    assert!(
        description.chars().count() <= 79,
        "the description is {} characters: {description}",
        description.chars().count()
    );
}

/// Width and height from a PNG's IHDR chunk, or why the bytes are no PNG.
fn png_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != SIGNATURE {
        return Err("no PNG signature".into());
    }
    // The first chunk: length (4 bytes), type "IHDR", then width and height.
    if &bytes[12..16] != b"IHDR" {
        return Err("the first chunk is not IHDR".into());
    }
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Ok((be(16), be(20)))
}

#[test]
fn icons_are_pngs_of_their_directory_size() {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(repo().join(HICOLOR)).expect("read the hicolor directory") {
        let dir: PathBuf = entry.expect("a directory entry").path();
        let name = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let size: u32 = name
            .split_once('x')
            .filter(|(w, h)| w == h)
            .and_then(|(w, _)| w.parse().ok())
            .unwrap_or_else(|| panic!("{name} is not a SIZExSIZE directory"));
        let file = dir.join("apps/org.embargo.Embargo.png");
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let got = png_size(&bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(got, (size, size), "{} has the wrong size", file.display());
        sizes.push(size);
    }
    sizes.sort_unstable();
    assert_eq!(sizes, ICON_SIZES, "the icon sizes scripts/icons.sh renders");
}

#[test]
fn metainfo_release_is_the_crate_version() {
    let xml = std::fs::read_to_string(repo().join(METAINFO)).expect("read the metainfo");
    // The newest release comes first.
    let tag = &xml[xml.find("<release ").expect("a <release> element")..];
    let tag = &tag[..tag.find('>').expect("the end of the <release> tag")];
    let version = tag
        .split_once("version=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(v, _)| v)
        .expect("the release has a version");
    assert_eq!(version, env!("CARGO_PKG_VERSION"), "in {METAINFO}: {tag}");
}
