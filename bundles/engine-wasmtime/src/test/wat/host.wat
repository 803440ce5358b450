;; Calls a host function that works on guest memory: the host reverses the bytes at (ptr, len) in place
;; and returns their sum. "run" returns that sum plus the first byte after the reversal.
(module
  (import "env" "reverse" (func $reverse (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (func (export "run") (result i32)
    (i32.add
      (call $reverse (i32.const 16) (i32.const 5))
      (i32.load8_u (i32.const 16)))))
