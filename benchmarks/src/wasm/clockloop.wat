;; clockloop.wasm - the end-to-end host call benchmark, a WASI command: _start calls clock_time_get
;; 1,000,000 times (monotonic clock, result written to address 8) and ignores the errno, so a denied call
;; (ENOTCAPABLE) keeps the loop going. Per-call cost = time of one container run / 1,000,000.
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $n i32)
    (local.set $n (i32.const 1000000))
    (loop $turn
      (drop (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 8)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $turn))))
