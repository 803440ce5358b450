;; The distribution smoke test's module: a WASI command that writes "forty-two" to stdout and returns.
;; Build: wat2wasm answer.wat -o answer.wasm
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "forty-two\n")
  (func (export "_start")
    ;; one iovec at 0: base 16, length 10; the count of bytes written goes to 8
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
