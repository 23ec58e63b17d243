// LayerNorm over the last dim: y[n, d] = (x[n, d] - mean[n]) * rsqrt(var[n] + eps) * gamma[d] + beta[d].
#id = affine_map<(n, d) -> (n, d)>
#row = affine_map<(n, d) -> (n)>
#col = affine_map<(n, d) -> (d)>
func.func @layer_norm(%x: tensor<${N}x${D}xf32>, %gamma: tensor<${D}xf32>, %beta: tensor<${D}xf32>) -> tensor<${N}x${D}xf32> {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant ${eps} : f32
  %inv_d = arith.constant ${inv_d} : f32
  %rows = tensor.empty() : tensor<${N}xf32>
  %acc0 = linalg.fill ins(%zero : f32) outs(%rows : tensor<${N}xf32>) -> tensor<${N}xf32>
  // sum_d x
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<${N}x${D}xf32>) outs(%acc0 : tensor<${N}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<${N}xf32>
  // centred values xc = x - sum / D
  %full = tensor.empty() : tensor<${N}x${D}xf32>
  %xc = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sum : tensor<${N}x${D}xf32>, tensor<${N}xf32>) outs(%full : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %mean = arith.mulf %s, %inv_d : f32
    %c = arith.subf %in, %mean : f32
    linalg.yield %c : f32
  } -> tensor<${N}x${D}xf32>
  // sum_d xc^2
  %sq = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%xc : tensor<${N}x${D}xf32>) outs(%acc0 : tensor<${N}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %p = arith.mulf %in, %in : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<${N}xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xc, %sq, %gamma, %beta : tensor<${N}x${D}xf32>, tensor<${N}xf32>, tensor<${D}xf32>, tensor<${D}xf32>)
      outs(%full : tensor<${N}x${D}xf32>) {
  ^bb0(%c: f32, %s: f32, %g: f32, %b: f32, %o: f32):
    %var = arith.mulf %s, %inv_d : f32
    %ve = arith.addf %var, %eps : f32
    %r = math.rsqrt %ve : f32
    %n = arith.mulf %c, %r : f32
    %ng = arith.mulf %n, %g : f32
    %out = arith.addf %ng, %b : f32
    linalg.yield %out : f32
  } -> tensor<${N}x${D}xf32>
  return %y : tensor<${N}x${D}xf32>
}
