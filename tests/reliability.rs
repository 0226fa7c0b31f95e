//! Outputs are never lost or mixed: special files, inputs named as outputs,
//! full disks, signals, concurrent runs, control characters.
//!
//! Each test asserts the exit code, the message and what is left on disk.
//! The full-disk test needs a small tmpfs: it runs where `mount` works
//! (root with the capability), and says it skipped otherwise.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

fn infrange() -> Command {
    Command::cargo_bin("infrange").unwrap()
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("infrange")
}

/// Every file of a folder and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// No hidden temporary file or folder in `dir` or below its parent.
fn assert_no_temporaries(dirs: &[&Path]) {
    for dir in dirs {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries {
                let name = e.unwrap().file_name().into_string().unwrap();
                assert!(
                    !name.starts_with(".infrange-"),
                    "{} left in {}",
                    name,
                    dir.display()
                );
            }
        }
    }
}

/// Which of the reference sets `got` is, file for file; panics on a mix.
/// `summary.json` records the command line, so only its scenario is compared.
fn which_set(got: &BTreeMap<String, Vec<u8>>, refs: &[&BTreeMap<String, Vec<u8>>]) -> usize {
    let scenario_of = |bytes: &[u8]| {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        v["scenario"].as_str().unwrap().to_owned()
    };
    for (k, r) in refs.iter().enumerate() {
        let same = r.len() == got.len()
            && r.iter().all(|(name, bytes)| {
                got.get(name).is_some_and(|g| {
                    if name == "summary.json" {
                        scenario_of(g) == scenario_of(bytes)
                    } else {
                        g == bytes
                    }
                })
            });
        if same {
            return k;
        }
    }
    let names: Vec<&String> = got.keys().collect();
    panic!("the folder holds a mixed set: {names:?}");
}

fn run_ok(args: &[&str], out: &Path) {
    infrange()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn special_files_are_written_through_and_links_followed() {
    let dir = tempfile::tempdir().unwrap();
    let csv_args = ["analyze", "--allies", "LT", "--format", "csv"];
    // `-o -` is standard output.
    infrange()
        .args(csv_args)
        .args(["-o", "-"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("name,country,lat,lon"));
    // Devices are written, never replaced.
    for dev in ["/dev/null", "/dev/stdout"] {
        infrange()
            .args(csv_args)
            .args(["-o", dev])
            .assert()
            .success();
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    if Path::new("/dev/full").exists() {
        infrange()
            .args(csv_args)
            .args(["-o", "/dev/full"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("writing /dev/full"))
            .stderr(predicate::str::contains("no space left on the device"))
            .stderr(predicate::str::contains("os error").not());
        assert!(std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // A FIFO: its reader gets the table; it stays a FIFO.
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    infrange()
        .args(csv_args)
        .arg("-o")
        .arg(&fifo)
        .assert()
        .success();
    let got = reader.join().unwrap();
    assert!(got.starts_with("name,country,lat,lon") && got.contains("Vilnius,LT"));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // A symbolic link: the file it names is replaced; the link stays.
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    infrange()
        .args(csv_args)
        .arg("-o")
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("Vilnius,LT"));
    assert_no_temporaries(&[dir.path()]);
}

#[test]
fn an_input_is_never_overwritten_by_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let cities = dir.path().join("c.csv");
    let text = "name,country,lat,lon\nVilnius,LT,54.68916,25.2798\n";
    std::fs::write(&cities, text).unwrap();
    infrange()
        .args(["analyze", "--format", "csv", "--cities"])
        .arg(&cities)
        .arg("-o")
        .arg(&cities)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the --cities input"));
    assert_eq!(std::fs::read_to_string(&cities).unwrap(), text);
    // `run --cities o/cities.csv --out o`.
    let out = dir.path().join("o");
    std::fs::create_dir(&out).unwrap();
    let inside = out.join("cities.csv");
    std::fs::write(&inside, text).unwrap();
    infrange()
        .args(["run", "--cities"])
        .arg(&inside)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out: "))
        .stderr(predicate::str::contains("is the --cities input"));
    assert_eq!(std::fs::read_to_string(&inside).unwrap(), text);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn out_must_be_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap();
    infrange()
        .args(["run", "--out"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file, not a folder"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn sigint_leaves_no_temporary_file_and_a_whole_set() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, out) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("out"),
    );
    let a_args = ["--scenario", "chernyakhovsk-2024"];
    run_ok(&a_args, &a);
    run_ok(&[], &b);
    let (ref_a, ref_b) = (snapshot(&a), snapshot(&b));
    run_ok(&a_args, &out);
    // How long a run takes here, to interrupt it all along the way.
    let t = std::time::Instant::now();
    run_ok(&[], &dir.path().join("timing"));
    let full = t.elapsed();
    let mut seen = [0, 0];
    for k in 1..=8 {
        let mut child = std::process::Command::new(bin())
            .args(["run", "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(k as f64 / 8.0));
        unsafe {
            libc_kill(child.id() as i32, 2);
        }
        let status = child.wait().unwrap();
        assert!(status.success() || status.code() == Some(130), "{status:?}");
        assert_no_temporaries(&[dir.path(), &out]);
        seen[which_set(&snapshot(&out), &[&ref_a, &ref_b])] += 1;
        if status.success() {
            // Put the earlier set back for the next trial.
            run_ok(&a_args, &out);
        }
    }
    assert!(
        seen[0] > 0,
        "no run was interrupted before it finished: {seen:?}"
    );
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

#[test]
fn two_runs_into_one_folder_never_mix() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, out) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("out"),
    );
    let a_args = ["--scenario", "chernyakhovsk-2024"];
    run_ok(&a_args, &a);
    run_ok(&[], &b);
    let (ref_a, ref_b) = (snapshot(&a), snapshot(&b));
    for trial in 0..3 {
        let spawn = |args: &[&str]| {
            std::process::Command::new(bin())
                .arg("run")
                .args(args)
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        let mut first = spawn(&a_args);
        std::thread::sleep(Duration::from_millis(300 * trial));
        let mut second = spawn(&[]);
        assert!(first.wait().unwrap().success());
        assert!(second.wait().unwrap().success());
        which_set(&snapshot(&out), &[&ref_a, &ref_b]);
        assert_no_temporaries(&[dir.path(), &out]);
    }
}

#[test]
fn a_failed_run_on_a_full_disk_leaves_the_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=20m", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        return;
    }
    let out = mnt.join("o");
    let result = std::panic::catch_unwind(|| {
        run_ok(&[], &out);
        let before = snapshot(&out);
        // A larger set (every allied city) does not fit in what is left.
        infrange()
            .args(["run", "--all", "--scenario", "chernyakhovsk-2024", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no space left on the device"))
            .stderr(predicate::str::contains("os error").not())
            .stderr(predicate::str::contains("Custom {").not());
        assert!(snapshot(&out) == before, "the earlier run's files changed");
        assert_no_temporaries(&[&mnt, &out]);
    });
    let _ = std::process::Command::new("umount").arg(&mnt).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn control_characters_never_reach_xml_or_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("m.svg");
    infrange()
        .args([
            "map",
            "--site",
            "Bad\u{1}\u{1b}[31mName=54.6,21.8",
            "--range-km",
            "500",
            "--allies",
            "LT",
            "--title",
            "T\u{1}i\u{1b}tle",
            "--width",
            "800",
            "--height",
            "600",
            "--out",
        ])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    infrange()
        .args([
            "analyze",
            "--site",
            "Bad\u{1b}[31mName=54.6,21.8",
            "--range-km",
            "500",
            "--allies",
            "LT",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}").not());
}

#[test]
fn inputs_from_pipes_are_read_once_as_a_stream() {
    let csv = "name,country,lat,lon\nVilnius,LT,54.68916,25.2798\n";
    let geojson = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[25.2798,54.68916]},"properties":{"name":"Vilnius","country":"LT"}}]}"#;
    let args = [
        "analyze",
        "--allies",
        "LT",
        "--site",
        "K=54.63,21.81",
        "--range-km",
        "500",
        "--format",
        "csv",
        "-q",
    ];
    for (text, cities) in [
        (csv, "-"),
        (geojson, "-"),
        (geojson, "/dev/stdin"),
        (csv, "/dev/stdin"),
    ] {
        infrange()
            .args(args)
            .args(["--cities", cities])
            .write_stdin(text)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "Vilnius,LT,54.68916,25.2798,,K,223.996802,below",
            ));
    }
    // A FIFO holding GeoJSON (opened once: a second open would hang).
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("cities.geojson");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, geojson).unwrap())
    };
    infrange()
        .args(args)
        .arg("--cities")
        .arg(&fifo)
        .timeout(Duration::from_secs(60))
        .assert()
        .success()
        .stdout(predicate::str::contains("Vilnius,LT"));
    writer.join().unwrap();
}

#[test]
fn messages_say_what_is_wrong_once_in_the_users_terms() {
    let dir = tempfile::tempdir().unwrap();
    let once = |args: &[&str], want: &str| {
        let out = infrange().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        for bad in [
            "os error",
            "proj_create",
            "Custom {",
            "untagged",
            "BandsEntry",
        ] {
            assert!(!err.contains(bad), "{args:?}: {err}");
        }
        let half = &want[..want.len() / 2];
        assert_eq!(err.matches(half).count(), 1, "said twice: {err}");
    };
    let png = dir.path().join("m.png");
    let png = png.to_str().unwrap();
    once(
        &["map", "--projection", "EPSG:99999", "--out", png],
        "PROJ's database has no such coordinate reference system",
    );
    once(
        &["analyze", "--bands", "-500,1000"],
        "--bands: band edge #1 (-500)",
    );
    once(
        &["analyze", "--site", "A=50,30", "--site", "A=51,31"],
        "two sites are named `A`",
    );
    once(&["analyze", "--allies", "nato,XX"], "unknown ally `XX`");
    once(
        &["analyze", "--allies", "nato@1948-01-01"],
        "NATO had no members on 1948-01-01",
    );
    once(
        &["analyze", "--cities", "/no/such/file.csv"],
        "/no/such/file.csv: no such file or folder",
    );
    let quote = dir.path().join("q.csv");
    std::fs::write(&quote, "name,lat,lon\n\"unterminated,50,30\nB,1,2\n").unwrap();
    once(
        &["analyze", "--sites", quote.to_str().unwrap()],
        "a quoted field is never closed",
    );
    let pop = dir.path().join("p.csv");
    std::fs::write(
        &pop,
        "name,country,lat,lon,population\nA,PL,50,20,99999999999999999999999\n",
    )
    .unwrap();
    once(
        &["analyze", "--cities", pop.to_str().unwrap()],
        "is too large for a number of people",
    );
    let long = dir.path().join("long.csv");
    std::fs::write(&long, "a".repeat(17 << 20)).unwrap();
    once(
        &[
            "analyze",
            "--format",
            "csv",
            "--cities",
            long.to_str().unwrap(),
        ],
        "the first line is longer than 16 MiB",
    );
    let cut = dir.path().join("cut.txt");
    std::fs::write(&cut, "756135\tWarsaw\tWarsaw\tx\t52.2\t21.0\tP\tPPLC\tPL\n").unwrap();
    once(
        &[
            "analyze",
            "--format",
            "csv",
            "--cities",
            cut.to_str().unwrap(),
        ],
        "the row has 9 columns; GeoNames rows have 19",
    );
    let toml = dir.path().join("s.toml");
    std::fs::write(
        &toml,
        "bands = true\n[[site]]\nname = \"A\"\nlat = 50\nlon = 30\n",
    )
    .unwrap();
    once(
        &["analyze", "--scenario", toml.to_str().unwrap()],
        "field `bands`: expected \"inf\" or edges in km",
    );
}
