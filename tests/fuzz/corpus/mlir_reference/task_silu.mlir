// SiLU: y[n, d] = x[n, d] * sigmoid(x[n, d]) = x / (1 + exp(-x)).
#id = affine_map<(n, d) -> (n, d)>
func.func @silu(%x: tensor<${N}x${D}xf32>) -> tensor<${N}x${D}xf32> {
  %one = arith.constant 1.0 : f32
  %empty = tensor.empty() : tensor<${N}x${D}xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<${N}x${D}xf32>) outs(%empty : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %o: f32):
    %neg = arith.negf %in : f32
    %e = math.exp %neg : f32
    %den = arith.addf %e, %one : f32
    %r = arith.divf %in, %den : f32
    linalg.yield %r : f32
  } -> tensor<${N}x${D}xf32>
  return %y : tensor<${N}x${D}xf32>
}
