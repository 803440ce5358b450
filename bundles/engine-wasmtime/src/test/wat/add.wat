;; The smallest useful modules: exported arithmetic, no imports, no memory. Floats travel as raw bits.
(module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func (export "add64") (param $a i64) (param $b i64) (result i64)
    local.get $a
    local.get $b
    i64.add)
  (func (export "mulf64") (param $a f64) (param $b f64) (result f64)
    local.get $a
    local.get $b
    f64.mul)
  (func (export "negf32") (param $a f32) (result f32)
    local.get $a
    f32.neg)
  (func (export "noop")))
