;; Host functions that end or fail the guest: "quit" calls env.exit(code), "fail" calls env.fail().
(module
  (import "env" "exit" (func $exit (param i32)))
  (import "env" "fail" (func $fail))
  (func (export "quit") (param $code i32)
    (call $exit (local.get $code)))
  (func (export "fail")
    call $fail))
