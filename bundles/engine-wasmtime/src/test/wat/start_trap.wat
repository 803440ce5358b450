;; A start function that traps, so instantiation must fail.
(module
  (func $init
    unreachable)
  (start $init))
