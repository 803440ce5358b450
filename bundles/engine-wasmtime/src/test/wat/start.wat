;; A start function that records that it ran in a global; "_start" (the WASI entry point) must not run
;; at instantiation, so it overwrites the global only when called.
(module
  (global $state (mut i32) (i32.const 0))
  (func $init
    (global.set $state (i32.const 7)))
  (start $init)
  (func (export "_start")
    (global.set $state (i32.const 99)))
  (func (export "state") (result i32)
    global.get $state))
