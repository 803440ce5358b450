;; A memory bomb: declares the largest memory a 32-bit module may (65536 pages, 4 GiB) and grows it on request.
;; wasmtime-java has no memory limiter, so without the engine's rewrite a 1 GiB grow succeeds.
(module
  (memory (export "memory") 1 65536)
  (func (export "grow") (param $delta i32) (result i32)
    (memory.grow (local.get $delta)))
  (func (export "pages") (result i32)
    (memory.size)))
