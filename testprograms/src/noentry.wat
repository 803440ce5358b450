;; noentry.wasm - a valid "reactor" module: no imports, no _start.
;; Exports: memory "memory" (1 page, no maximum) and
;;          func "add" (i32, i32) -> i32 returning the wrapping sum.
;; A host asked to run it as a command must refuse it (no _start export)
;; without trapping; calling add(2, 3) returns 5.
(module
  (memory (export "memory") 1)
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add))
