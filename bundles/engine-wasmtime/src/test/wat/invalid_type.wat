;; Well-formed but invalid: the body leaves an i64 where the signature promises an i32. build.sh assembles
;; invalid_*.wat without validation so the engine's validator is what rejects it.
(module
  (func (export "wrong") (result i32)
    i64.const 1))
