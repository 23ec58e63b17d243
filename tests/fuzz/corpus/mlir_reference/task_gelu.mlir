// GELU (tanh approximation): y = half * x * (1 + tanh(sqrt_2_over_pi * (x + gelu_coeff * x^3))).
#id = affine_map<(n, d) -> (n, d)>
func.func @gelu(%x: tensor<${N}x${D}xf32>) -> tensor<${N}x${D}xf32> {
  %one = arith.constant 1.0 : f32
  %half = arith.constant ${half} : f32
  %c0 = arith.constant ${sqrt_2_over_pi} : f32
  %c1 = arith.constant ${gelu_coeff} : f32
  %empty = tensor.empty() : tensor<${N}x${D}xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<${N}x${D}xf32>) outs(%empty : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %o: f32):
    %x2 = arith.mulf %in, %in : f32
    %x3 = arith.mulf %x2, %in : f32
    %cx3 = arith.mulf %x3, %c1 : f32
    %inner = arith.addf %in, %cx3 : f32
    %arg = arith.mulf %inner, %c0 : f32
    %t = math.tanh %arg : f32
    %onep = arith.addf %t, %one : f32
    %hx = arith.mulf %in, %half : f32
    %r = arith.mulf %hx, %onep : f32
    linalg.yield %r : f32
  } -> tensor<${N}x${D}xf32>
  return %y : tensor<${N}x${D}xf32>
}
