;; hostcall.wasm - the engine-level host call benchmark. loop(n) calls the imported bench.constant n times and
;; returns the sum of what it got back, so per-call cost = time of loop(n) / n (the loop's own few
;; instructions included).
(module
  (import "bench" "constant" (func $constant (result i32)))
  (func (export "loop") (param $n i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $turn
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $constant)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $turn)))
    (local.get $sum)))
