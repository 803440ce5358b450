;; Asks for 100 initial pages (6.25 MiB), more than the tests' limits allow.
(module
  (memory 100))
