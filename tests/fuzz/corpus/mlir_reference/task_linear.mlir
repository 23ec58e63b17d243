// Linear: y[m, n] = sum_k x[m, k] * w[k, n] + b[n].
#id = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @linear(%x: tensor<${M}x${K}xf32>, %w: tensor<${K}x${N}xf32>, %b: tensor<${N}xf32>) -> tensor<${M}x${N}xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<${M}x${N}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<${M}x${N}xf32>) -> tensor<${M}x${N}xf32>
  %xw = linalg.matmul ins(%x, %w : tensor<${M}x${K}xf32>, tensor<${K}x${N}xf32>) outs(%acc : tensor<${M}x${N}xf32>) -> tensor<${M}x${N}xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xw, %b : tensor<${M}x${N}xf32>, tensor<${N}xf32>) outs(%empty : tensor<${M}x${N}xf32>) {
  ^bb0(%v: f32, %bias: f32, %o: f32):
    %r = arith.addf %v, %bias : f32
    linalg.yield %r : f32
  } -> tensor<${M}x${N}xf32>
  return %y : tensor<${M}x${N}xf32>
}
