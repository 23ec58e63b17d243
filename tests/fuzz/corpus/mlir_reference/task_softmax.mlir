// Row softmax: y[n, d] = exp(x[n, d] - max_d x[n, :]) / sum_d exp(x[n, :] - max).
#id = affine_map<(n, d) -> (n, d)>
#row = affine_map<(n, d) -> (n)>
func.func @softmax(%x: tensor<${N}x${D}xf32>) -> tensor<${N}x${D}xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %rows = tensor.empty() : tensor<${N}xf32>
  %max_init = linalg.fill ins(%ninf : f32) outs(%rows : tensor<${N}xf32>) -> tensor<${N}xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<${N}x${D}xf32>) outs(%max_init : tensor<${N}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maxf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<${N}xf32>
  %full = tensor.empty() : tensor<${N}x${D}xf32>
  %e = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<${N}x${D}xf32>, tensor<${N}xf32>) outs(%full : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %m: f32, %o: f32):
    %d = arith.subf %in, %m : f32
    %ex = math.exp %d : f32
    linalg.yield %ex : f32
  } -> tensor<${N}x${D}xf32>
  %sum_init = linalg.fill ins(%zero : f32) outs(%rows : tensor<${N}xf32>) -> tensor<${N}xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%e : tensor<${N}x${D}xf32>) outs(%sum_init : tensor<${N}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<${N}xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e, %sum : tensor<${N}x${D}xf32>, tensor<${N}xf32>) outs(%full : tensor<${N}x${D}xf32>) {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %q = arith.divf %in, %s : f32
    linalg.yield %q : f32
  } -> tensor<${N}x${D}xf32>
  return %y : tensor<${N}x${D}xf32>
}
