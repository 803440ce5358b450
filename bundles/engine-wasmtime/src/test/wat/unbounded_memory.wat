;; Linear memory with no declared maximum: only the instance limits bound memory.grow.
(module
  (memory (export "memory") 1)
  (func (export "grow") (param $delta i32) (result i32)
    (memory.grow (local.get $delta))))
