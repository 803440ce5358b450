;; readdirfd.wat - lists descriptor 4 (the second preopen) with one raw fd_readdir call, without opening
;; anything by path: the way a hostile guest would list a preopen it holds. Writes the raw dirent buffer
;; fd_readdir filled (entry names appear in it as bytes) to stdout and exits 0; if fd_readdir fails, exits
;; with its errno (76 = ENOTCAPABLE when a policy denies the listing, 8 = EBADF without a second preopen).
(module
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $errno i32)
    ;; buffer at 1024, 4096 bytes; bufused at 16
    (local.set $errno (call $fd_readdir (i32.const 4) (i32.const 1024) (i32.const 4096) (i64.const 0) (i32.const 16)))
    (if (i32.ne (local.get $errno) (i32.const 0))
      (then (call $proc_exit (local.get $errno))))
    ;; iovec at 32: { buf = 1024, len = bufused }
    (i32.store (i32.const 32) (i32.const 1024))
    (i32.store (i32.const 36) (i32.load (i32.const 16)))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 48)))
    (call $proc_exit (i32.const 0))))
