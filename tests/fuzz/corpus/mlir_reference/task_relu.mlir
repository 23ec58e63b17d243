// ReLU: y[n, d] = max(x[n, d], 0).
#id = affine_map<(n, d) -> (n, d)>
func.func @relu(%x: tensor<${N}x${D}xf32>) -> tensor<${N}x${D}xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<${N}x${D}xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<${N}x${D}xf32>) outs(%empty : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.maxf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<${N}x${D}xf32>
  return %y : tensor<${N}x${D}xf32>
}
