// A third toolchain: AssemblyScript with @assemblyscript/wasi-shim (console, process, Date, performance,
// crypto over preview1) plus raw imports for exact errnos. Prints "ok <case>" per case, "FAIL ..." and
// exit 1 on the first mismatch, "N passed, 0 failed" at the end. Run with SCRATCH as the first argument
// (an empty preopened directory, fd 3) and --env CONF=1.

@external("wasi_snapshot_preview1", "path_open")
declare function path_open(fd: u32, dirflags: u32, path: usize, pathLen: usize, oflags: u32,
  base: u64, inheriting: u64, fdflags: u32, result: usize): u16;

@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: u32): u16;

@external("wasi_snapshot_preview1", "path_unlink_file")
declare function path_unlink_file(fd: u32, path: usize, pathLen: usize): u16;

@external("wasi_snapshot_preview1", "sock_shutdown")
declare function sock_shutdown(fd: u32, how: u32): u16;

let passed = 0;

function check(name: string, ok: bool, detail: string = ""): void {
  if (!ok) {
    console.log("FAIL " + name + ": " + detail);
    process.exit(1);
  }
  passed++;
  console.log("ok " + name);
}

function errno(name: string, got: u16, want: u16): void {
  check(name, got == want, "expected errno " + want.toString() + " got " + got.toString());
}

function open(path: string, oflags: u32, result: usize): u16 {
  const bytes = String.UTF8.encode(path);
  return path_open(3, 0, changetype<usize>(bytes), bytes.byteLength, oflags, 0x42, 0, 0, result);
}

const argv = process.argv;
check("args", argv.length >= 2);
const env = process.env;
check("env.only_given", env.size == 1 && env.has("CONF") && env.get("CONF") == "1");
check("date.now", Date.now() > 1577836800000);
const t0 = performance.now();
check("performance.now", performance.now() >= t0);
const random = new Uint8Array(64);
crypto.getRandomValues(random);
let nonzero = 0;
for (let i = 0; i < random.length; i++) if (random[i] != 0) nonzero++;
check("crypto.getRandomValues", nonzero > 32);

const slot = changetype<usize>(new ArrayBuffer(8));
errno("path_open.create", open("as.txt", 1, slot), 0);
const fd = load<u32>(slot);
check("path_open.fd", fd > 3);
errno("path_open.excl", open("as.txt", 1 | 4, slot), 20 /* EXIST */);
errno("path_open.absolute", open("/etc/passwd", 0, slot), 63 /* PERM */);
errno("path_open.dotdot", open("../x", 0, slot), 63 /* PERM */);
errno("path_open.missing", open("missing", 0, slot), 44 /* NOENT */);
errno("sock_shutdown.file", sock_shutdown(fd, 1), 57 /* NOTSOCK */);
errno("fd_close", fd_close(fd), 0);
errno("fd_close.again", fd_close(fd), 8 /* BADF */);
const name = String.UTF8.encode("as.txt");
errno("path_unlink_file", path_unlink_file(3, changetype<usize>(name), name.byteLength), 0);
console.log(passed.toString() + " passed, 0 failed");
