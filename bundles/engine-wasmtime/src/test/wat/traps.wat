;; One export per kind of trap, plus a runaway loop for interruption and a harmless export to show the
;; instance still works after a trap.
(module
  (memory 1)
  (func (export "unreachable")
    unreachable)
  (func (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $recurse (export "recurse") (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "out_of_bounds") (result i32)
    (i32.load (i32.const 0x7fffffff)))
  (func (export "spin")
    (loop $forever
      br $forever))
  (func (export "answer") (result i32)
    i32.const 42))
