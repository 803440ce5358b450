;; Linear memory of 2 initial pages, at most 10: "grow" is memory.grow, "pages" is memory.size.
(module
  (memory (export "memory") 2 10)
  (func (export "grow") (param $delta i32) (result i32)
    (memory.grow (local.get $delta)))
  (func (export "pages") (result i32)
    (memory.size))
  (func (export "load") (param $address i32) (result i32)
    (i32.load (local.get $address))))
