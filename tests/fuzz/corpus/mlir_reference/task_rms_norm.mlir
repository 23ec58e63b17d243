// RMSNorm over the last dim: y[n, d] = x[n, d] * rsqrt(mean_d(x[n, :]^2) + eps) * gamma[d].
#id = affine_map<(n, d) -> (n, d)>
#row = affine_map<(n, d) -> (n)>
#col = affine_map<(n, d) -> (d)>
func.func @rms_norm(%x: tensor<${N}x${D}xf32>, %gamma: tensor<${D}xf32>) -> tensor<${N}x${D}xf32> {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant ${eps} : f32
  %inv_d = arith.constant ${inv_d} : f32
  %rows = tensor.empty() : tensor<${N}xf32>
  %acc0 = linalg.fill ins(%zero : f32) outs(%rows : tensor<${N}xf32>) -> tensor<${N}xf32>
  %sq = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<${N}x${D}xf32>) outs(%acc0 : tensor<${N}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %p = arith.mulf %in, %in : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<${N}xf32>
  %full = tensor.empty() : tensor<${N}x${D}xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sq, %gamma : tensor<${N}x${D}xf32>, tensor<${N}xf32>, tensor<${D}xf32>) outs(%full : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %s: f32, %g: f32, %o: f32):
    %ms = arith.mulf %s, %inv_d : f32
    %me = arith.addf %ms, %eps : f32
    %r = math.rsqrt %me : f32
    %n = arith.mulf %in, %r : f32
    %out = arith.mulf %n, %g : f32
    linalg.yield %out : f32
  } -> tensor<${N}x${D}xf32>
  return %y : tensor<${N}x${D}xf32>
}
