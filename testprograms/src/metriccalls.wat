;; metriccalls.wat - a known mix of host calls for the metrics tests: writes "tick\n" to stdout 70 times (70
;; fd_write calls, 350 bytes out), then asks random_get for 16 bytes twice and exits 0 whatever those return
;; (a policy without `random` denies both with ENOTCAPABLE). 72 host calls in all; 1 page of memory.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; the iovec at 0 points at "tick\n" at 16; fd_write puts the count written at 8
  (data (i32.const 0) "\10\00\00\00\05\00\00\00")
  (data (i32.const 16) "tick\n")
  (func (export "_start")
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 70)))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (call $random_get (i32.const 32) (i32.const 16)))
    (drop (call $random_get (i32.const 32) (i32.const 16)))))
