// FlashAttention semantics (single head, no mask): o = softmax(q k^T * scale) v, softmax over keys, scale = 1/sqrt(D).
// The reference materialises the full score matrix; the kernel is expected to tile keys with an online softmax.
#id = affine_map<(i, j) -> (i, j)>
#tr = affine_map<(i, j) -> (j, i)>
#row = affine_map<(i, j) -> (i)>
func.func @flash_attention(%q: tensor<${Sq}x${D}xf32>, %k: tensor<${Sk}x${D}xf32>, %v: tensor<${Sk}x${D}xf32>) -> tensor<${Sq}x${D}xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant ${scale} : f32
  // kt = k^T
  %ekt = tensor.empty() : tensor<${D}x${Sk}xf32>
  %kt = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%k : tensor<${Sk}x${D}xf32>) outs(%ekt : tensor<${D}x${Sk}xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<${D}x${Sk}xf32>
  // scores = q k^T
  %es = tensor.empty() : tensor<${Sq}x${Sk}xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<${Sq}x${Sk}xf32>) -> tensor<${Sq}x${Sk}xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<${Sq}x${D}xf32>, tensor<${D}x${Sk}xf32>) outs(%zs : tensor<${Sq}x${Sk}xf32>) -> tensor<${Sq}x${Sk}xf32>
  // p = softmax(scores * scale) along keys (scale > 0, so the row max of scores gives the max of scaled scores)
  %rows = tensor.empty() : tensor<${Sq}xf32>
  %max0 = linalg.fill ins(%ninf : f32) outs(%rows : tensor<${Sq}xf32>) -> tensor<${Sq}xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%s : tensor<${Sq}x${Sk}xf32>) outs(%max0 : tensor<${Sq}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maxf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<${Sq}xf32>
  %e = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s, %max : tensor<${Sq}x${Sk}xf32>, tensor<${Sq}xf32>) outs(%es : tensor<${Sq}x${Sk}xf32>) {
  ^bb0(%in: f32, %m: f32, %o: f32):
    %d = arith.subf %in, %m : f32
    %ds = arith.mulf %d, %scale : f32
    %ex = math.exp %ds : f32
    linalg.yield %ex : f32
  } -> tensor<${Sq}x${Sk}xf32>
  %sum0 = linalg.fill ins(%zero : f32) outs(%rows : tensor<${Sq}xf32>) -> tensor<${Sq}xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%e : tensor<${Sq}x${Sk}xf32>) outs(%sum0 : tensor<${Sq}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<${Sq}xf32>
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e, %sum : tensor<${Sq}x${Sk}xf32>, tensor<${Sq}xf32>) outs(%es : tensor<${Sq}x${Sk}xf32>) {
  ^bb0(%in: f32, %t: f32, %o: f32):
    %r = arith.divf %in, %t : f32
    linalg.yield %r : f32
  } -> tensor<${Sq}x${Sk}xf32>
  // o = p v
  %eo = tensor.empty() : tensor<${Sq}x${D}xf32>
  %zo = linalg.fill ins(%zero : f32) outs(%eo : tensor<${Sq}x${D}xf32>) -> tensor<${Sq}x${D}xf32>
  %out = linalg.matmul ins(%p, %v : tensor<${Sq}x${Sk}xf32>, tensor<${Sk}x${D}xf32>) outs(%zo : tensor<${Sq}x${D}xf32>) -> tensor<${Sq}x${D}xf32>
  return %out : tensor<${Sq}x${D}xf32>
}
