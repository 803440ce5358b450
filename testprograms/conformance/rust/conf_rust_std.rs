//! A second toolchain: Rust's std (Debian's rustc 1.63 with libstd-rust-dev-wasm32, target wasm32-wasi)
//! over the same preview1 functions, through the code paths real Rust programs use. Prints "ok <case>" per
//! case, "FAIL <case>: ..." and exit 1 on the first mismatch, "N passed, 0 failed" at the end.
//!
//! Usage: conf_rust_std.wasm SCRATCH (an empty preopened directory) ARG... with --env CONF=1.
use std::fs;
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Cases {
    passed: u32,
}

impl Cases {
    fn check(&mut self, name: &str, ok: bool, detail: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
            println!("ok {}", name);
        } else {
            println!("FAIL {}: {}", name, detail());
            std::process::exit(1);
        }
    }

    fn errno<T: std::fmt::Debug>(&mut self, name: &str, r: std::io::Result<T>, want: i32) {
        match r {
            Err(e) if e.raw_os_error() == Some(want) => self.check(name, true, String::new),
            other => self.check(name, false, || format!("expected errno {} got {:?}", want, other)),
        }
    }

    fn kind<T: std::fmt::Debug>(&mut self, name: &str, r: std::io::Result<T>, want: ErrorKind) {
        match r {
            Err(e) if e.kind() == want => self.check(name, true, String::new),
            other => self.check(name, false, || format!("expected {:?} got {:?}", want, other)),
        }
    }
}

fn main() {
    let mut c = Cases { passed: 0 };
    let args: Vec<String> = std::env::args().collect();
    let scratch = args.get(1).cloned().unwrap_or_else(|| {
        println!("FAIL setup: usage: conf_rust_std.wasm SCRATCH");
        std::process::exit(1)
    });
    let p = |name: &str| format!("{}/{}", scratch, name);

    c.check("env.args", args.len() >= 2, || format!("{:?}", args));
    let vars: Vec<(String, String)> = std::env::vars().collect();
    c.check("env.only_given", vars == vec![("CONF".to_string(), "1".to_string())], || format!("{:?}", vars));

    let t0 = Instant::now();
    std::thread::sleep(Duration::from_millis(20));
    c.check("time.sleep", t0.elapsed() >= Duration::from_millis(20), || format!("{:?}", t0.elapsed()));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    c.check("time.realtime", now.as_secs() > 1_577_836_800, || format!("{:?}", now));

    fs::create_dir(p("dir")).unwrap();
    c.kind("fs.create_dir_exists", fs::create_dir(p("dir")), ErrorKind::AlreadyExists);
    fs::write(p("dir/file.txt"), b"hello rust").unwrap();
    c.check("fs.read", fs::read(p("dir/file.txt")).unwrap() == b"hello rust", String::new);
    let mut f = fs::OpenOptions::new().read(true).write(true).open(p("dir/file.txt")).unwrap();
    f.seek(SeekFrom::Start(6)).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    c.check("fs.seek_read", s == "rust", || s.clone());
    f.seek(SeekFrom::End(0)).unwrap();
    f.write_all(b"!").unwrap();
    f.set_len(4).unwrap();
    let meta = f.metadata().unwrap();
    c.check("fs.set_len", meta.len() == 4 && meta.is_file(), || format!("{:?}", meta));
    drop(f);
    let mut a = fs::OpenOptions::new().append(true).open(p("dir/file.txt")).unwrap();
    a.write_all(b"XY").unwrap();
    drop(a);
    c.check("fs.append", fs::read(p("dir/file.txt")).unwrap() == b"hellXY", String::new);
    c.kind("fs.open_missing", fs::File::open(p("missing")), ErrorKind::NotFound);
    c.kind("fs.create_new_exists", fs::OpenOptions::new().write(true).create_new(true).open(p("dir/file.txt")),
        ErrorKind::AlreadyExists);
    fs::rename(p("dir/file.txt"), p("renamed.txt")).unwrap();
    c.kind("fs.renamed_away", fs::metadata(p("dir/file.txt")), ErrorKind::NotFound);
    fs::hard_link(p("renamed.txt"), p("dir/link.txt")).unwrap();
    c.check("fs.hard_link", fs::read(p("dir/link.txt")).unwrap() == b"hellXY", String::new);
    let mut names: Vec<String> = fs::read_dir(&scratch).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    c.check("fs.read_dir", names == vec!["dir".to_string(), "renamed.txt".to_string()], || format!("{:?}", names));
    let m = fs::metadata(p("renamed.txt")).unwrap();
    let mtime = m.modified().unwrap().duration_since(UNIX_EPOCH).unwrap();
    c.check("fs.mtime", (mtime.as_secs() as i64 - now.as_secs() as i64).abs() < 300, || format!("{:?}", mtime));
    c.errno("fs.remove_nonempty_dir", fs::remove_dir(p("dir")), 55 /* ENOTEMPTY */);
    c.errno("sandbox.dotdot", fs::read(format!("{}/../etc/passwd", scratch)), 63 /* EPERM */);
    // No preopen matches: Rust's std refuses it itself ("failed to find a pre-opened file descriptor").
    let outside = fs::read("/etc/passwd");
    c.check("sandbox.not_preopened", outside.is_err() && outside.as_ref().err().unwrap().raw_os_error().is_none(),
        || format!("{:?}", outside.map(|b| b.len())));
    fs::remove_file(p("dir/link.txt")).unwrap();
    fs::remove_dir(p("dir")).unwrap();
    fs::remove_file(p("renamed.txt")).unwrap();
    c.check("fs.cleaned", fs::read_dir(&scratch).unwrap().count() == 0, String::new);
    println!("{} passed, 0 failed", c.passed);
}
