;; badimport.wasm - imports a function nobody provides:
;;   (import "env" "not_provided" (func (param i32) (result i32)))
;; and exports _start (calls it with 42 and drops the result) and memory.
;; Instantiation must fail at link time with an unknown/missing import
;; error naming env.not_provided; _start never runs.
(module
  (import "env" "not_provided" (func $not_provided (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    i32.const 42
    call $not_provided
    drop))
