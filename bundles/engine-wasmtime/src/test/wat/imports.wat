;; Imports of every kind: two functions (in this order), then a memory, a table and a global that no host
;; can provide.
(module
  (import "env" "first" (func (param i64 f32) (result f64)))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 3))
  (import "env" "table" (table 1 funcref))
  (import "env" "counter" (global i32))
  (func (export "noop")))
